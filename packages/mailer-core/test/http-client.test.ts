import { apiBaseUrl, HttpTransportConfigError, retryAfterMs } from '../src/transports/http';
import { formatAddress } from '../src/transports/http/mail-fields';

const NOW = Date.parse('2025-03-01T12:00:00Z');

describe('apiBaseUrl', () => {
  it.each([
    ['api.sendgrid.com', 443, 'ssl_tls', 'https://api.sendgrid.com:443'],
    ['api.eu.mailgun.net', 443, 'ssl_tls', 'https://api.eu.mailgun.net:443'],
    ['api.zeptomail.in', 8443, 'ssl_tls', 'https://api.zeptomail.in:8443'],
    ['api.brevo.com', 443, 'starttls', 'https://api.brevo.com:443'],
    ['127.0.0.1', 8025, 'none', 'http://127.0.0.1:8025'],
    ['127.4.5.6', 80, 'none', 'http://127.4.5.6:80'],
    ['localhost', 3000, 'none', 'http://localhost:3000'],
    // The one loopback rule of the provider settings: a *.localhost host passes here as in validation.
    ['api.localhost', 8025, 'none', 'http://api.localhost:8025'],
    ['::1', 3000, 'none', 'http://[::1]:3000'],
    ['2001:db8::1', 443, 'ssl_tls', 'https://[2001:db8::1]:443'],
  ] as const)('%s:%d with %s -> %s', (host, port, encryption, url) => {
    expect(apiBaseUrl({ host, port, encryption })).toBe(url);
  });

  it.each([
    ['api.sendgrid.com', 80, 'none', /loopback/],
    ['10.0.0.5', 8080, 'none', /loopback/],
    ['https://api.resend.com', 443, 'ssl_tls', /bare host/],
    ['api.resend.com/emails', 443, 'ssl_tls', /bare host/],
    ['', 443, 'ssl_tls', /bare host/],
    ['api.resend.com', 0, 'ssl_tls', /between 1 and 65535/],
    ['api.resend.com', 70000, 'ssl_tls', /between 1 and 65535/],
  ] as const)('refuses %s:%d with %s', (host, port, encryption, message) => {
    expect(() => apiBaseUrl({ host, port, encryption })).toThrow(HttpTransportConfigError);
    expect(() => apiBaseUrl({ host, port, encryption })).toThrow(message);
  });
});

describe('retryAfterMs', () => {
  it.each([
    ['Retry-After in seconds', 429, { 'retry-after': '2' }, 2_000],
    ['Retry-After with a fraction', 429, { 'retry-after': '1.5' }, 1_500],
    ['Retry-After as an HTTP date', 503, { 'retry-after': 'Sat, 01 Mar 2025 12:00:30 GMT' }, 30_000],
    ['Retry-After date in the past', 429, { 'retry-after': 'Sat, 01 Mar 2025 11:00:00 GMT' }, 0],
    [
      'SendGrid X-RateLimit-Reset (epoch seconds)',
      429,
      { 'x-ratelimit-reset': String(NOW / 1000 + 45) },
      45_000,
    ],
    ['Brevo x-sib-ratelimit-reset (seconds)', 429, { 'x-sib-ratelimit-reset': '12' }, 12_000],
    ['Resend ratelimit-reset (seconds)', 429, { 'ratelimit-reset': '1' }, 1_000],
    ['SparkPost 420 with a reset', 420, { 'x-ratelimit-reset': '60' }, 60_000],
    ['Retry-After wins over a reset header', 429, { 'retry-after': '3', 'ratelimit-reset': '9' }, 3_000],
    ['reset headers only count on rate limits', 500, { 'x-ratelimit-reset': '60' }, undefined],
    ['nothing to go by', 429, {}, undefined],
    ['garbage', 429, { 'retry-after': 'soon' }, undefined],
  ])('%s', (_name, status, headers, expected) => {
    expect(retryAfterMs(new Headers(headers), status, NOW)).toBe(expected);
  });
});

describe('formatAddress', () => {
  it.each([
    [{ address: 'a@example.com' }, 'a@example.com'],
    [{ address: 'a@example.com', name: 'Ann Example' }, 'Ann Example <a@example.com>'],
    [{ address: 'a@example.com', name: 'Example, Inc.' }, '"Example, Inc." <a@example.com>'],
    [{ address: 'a@example.com', name: 'Ann "the" Admin' }, '"Ann \\"the\\" Admin" <a@example.com>'],
    [{ address: 'a@example.com', name: 'Ayşe Yılmaz' }, '"Ayşe Yılmaz" <a@example.com>'],
    [{ address: 'a@example.com', name: '  ' }, 'a@example.com'],
  ])('%j -> %s', (address, formatted) => {
    expect(formatAddress(address)).toBe(formatted);
  });
});
