import { ConfigError } from '../config';
import { DEFAULT_WEBHOOK_CONFIG, loadWebhookConfig } from './webhook-config';

describe('the WEBHOOK_* variables', () => {
  it.each<[Record<string, string>, Partial<typeof DEFAULT_WEBHOOK_CONFIG>]>([
    [{}, DEFAULT_WEBHOOK_CONFIG],
    [{ WEBHOOK_DISABLE_AFTER_HOURS: '0.001' }, { disableAfterMs: 3600 }],
    [{ WEBHOOK_DISABLE_AFTER_HOURS: '1.5' }, { disableAfterMs: 5_400_000 }],
    [{ WEBHOOK_RETRY_WINDOW_HOURS: '0.5' }, { retryWindowMs: 1_800_000 }],
    [
      { WEBHOOK_TIMEOUT_MS: '500', WEBHOOK_LEASE_SECONDS: '1' },
      { timeoutMs: 500, leaseSeconds: 1 },
    ],
    [
      { WEBHOOK_RETRY_BASE_MS: '200', WEBHOOK_CONCURRENCY: '8' },
      { retryBaseMs: 200, concurrency: 8 },
    ],
    [{ WEBHOOK_CONCURRENCY: ' ' }, { concurrency: 4 }],
    [{ WEBHOOK_MAIL_FIRST_MS: '0' }, { mailFirstMs: 0 }],
    [{ WEBHOOK_MAIL_FIRST_MS: '30000' }, { mailFirstMs: 30_000 }],
  ])('%j', (env, expected) => {
    expect(loadWebhookConfig(env)).toMatchObject(expected);
  });

  it.each([
    [{ WEBHOOK_DISABLE_AFTER_HOURS: '0' }, /WEBHOOK_DISABLE_AFTER_HOURS must be a number between/],
    [{ WEBHOOK_DISABLE_AFTER_HOURS: 'soon' }, /WEBHOOK_DISABLE_AFTER_HOURS/],
    [{ WEBHOOK_TIMEOUT_MS: '1.5' }, /WEBHOOK_TIMEOUT_MS must be a whole number/],
    [{ WEBHOOK_CONCURRENCY: '0' }, /WEBHOOK_CONCURRENCY must be a whole number between 1 and 64/],
    [{ WEBHOOK_MAIL_FIRST_MS: '-1' }, /WEBHOOK_MAIL_FIRST_MS must be a whole number between 0 and 600000/],
    [{ WEBHOOK_MAIL_FIRST_MS: 'later' }, /WEBHOOK_MAIL_FIRST_MS/],
    [{ WEBHOOK_TIMEOUT_MS: '5000', WEBHOOK_LEASE_SECONDS: '5' }, /WEBHOOK_LEASE_SECONDS must be longer/],
  ])('refuses %j', (env, message) => {
    expect(() => loadWebhookConfig(env)).toThrow(ConfigError);
    expect(() => loadWebhookConfig(env)).toThrow(message);
  });
});
