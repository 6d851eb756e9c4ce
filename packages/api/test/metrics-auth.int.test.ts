import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { addSmtpProvider } from './durable/durable-support';
import { startTestServer, testSecret, type TestServer } from './support/test-server';

const OPEN_WARNING = /^\/metrics is open to anyone who can reach this server/;

function warningsOf(server: TestServer): string[] {
  return server.logs
    .map((line): { msg?: string } => JSON.parse(line))
    .map((entry) => entry.msg ?? '')
    .filter((msg) => OPEN_WARNING.test(msg));
}

describe('/metrics with METRICS_TOKEN', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  const token = testSecret('metrics');
  const providerName = `provider-${testSecret('name')}`;

  beforeAll(async () => {
    server = await startTestServer({ env: { METRICS_TOKEN: token } });
    smtp = await startSmtpTestServer();
    await addSmtpProvider(server, smtp, { name: providerName });
  });
  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  const scrape = (authorization?: string) =>
    fetch(`${server.url}/metrics`, authorization === undefined ? {} : { headers: { authorization } });

  it('serves the metrics to the right bearer token', async () => {
    const response = await scrape(`Bearer ${token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('http_requests_total');
    expect(text).toContain(`provider_name="${providerName}"`);
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty bearer', 'Bearer '],
    ['a wrong token of the same length', `Bearer ${testSecret('metrics')}`],
    ['a shorter token', `Bearer ${token.slice(0, -1)}`],
    ['a longer token', `Bearer ${token}x`],
    ['the token under another scheme', `Basic ${token}`],
    ['the token without a scheme', token],
  ])('refuses %s with 401, a challenge, and no metric', async (_case, authorization) => {
    const response = await scrape(authorization);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    const text = await response.text();
    expect(text).toBe('Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.\n');
    expect(text).not.toContain(providerName);
    expect(text).not.toContain(token);
  });

  it('does not warn that /metrics is open', () => {
    expect(warningsOf(server)).toEqual([]);
  });
});

describe('/metrics without METRICS_TOKEN in production', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { NODE_ENV: 'production' } });
  });
  afterAll(() => server?.close());

  it('stays open, and one warning at start says so', async () => {
    const response = await fetch(`${server.url}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('http_requests_total');
    await fetch(`${server.url}/metrics`);
    expect(warningsOf(server)).toHaveLength(1);
  });
});
