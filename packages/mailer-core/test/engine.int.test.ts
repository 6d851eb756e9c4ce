import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import {
  createMailer,
  type ApiVendor,
  type Attempt,
  type FailureCategory,
  type Logger,
  type Mailer,
  type MailerOptions,
  type Message,
  type ProviderConfig,
} from '../src';
import {
  SMTP_REPLIES,
  createTestCertificate,
  startSmtpTestServer,
  startTarpit,
  startVendorEmulator,
  type SmtpFailureScript,
  type SmtpTestSecurity,
  type SmtpTestServer,
  type Tarpit,
  type TestCertificate,
  type VendorEmulator,
} from '../src/test-support';
import { attachmentsOf, topHeaders } from './support/mime';

/** Short budgets keep the hung-server cases quick; the defaults are 5 s / 5 s / 30 s. */
const TIMEOUTS = { connectMs: 800, greetingMs: 800, socketMs: 2_000 };

function secret(): string {
  return 'test-' + randomBytes(8).toString('hex');
}

class FakeClock {
  time = Date.now();
  now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

interface LogLine {
  level: string;
  obj: object;
  msg?: string;
}

function capturingLogger(lines: LogLine[]): Logger {
  const write = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

const pdf = randomBytes(6 * 1024);
const png = randomBytes(1024);
const message: Message = {
  to: ['Ann <ann@example.org>', 'bob@example.org'],
  cc: 'cy@example.org',
  replyTo: 'Help Desk <help@example.com>',
  subject: 'Your invoice',
  text: 'The invoice is attached.',
  html: '<p>The invoice is attached.</p><img src="cid:logo@example.com">',
  headers: { 'X-Campaign': 'spring' },
  attachments: [
    { filename: 'invoice.pdf', content: pdf, contentType: 'application/pdf' },
    { filename: 'logo.png', content: png, cid: 'logo@example.com' },
  ],
};

let certificate: TestCertificate;
let emulator: VendorEmulator;
const servers: SmtpTestServer[] = [];
const tarpits: Tarpit[] = [];
const mailers: Mailer[] = [];
let ids = 0;

beforeAll(async () => {
  certificate = await createTestCertificate();
  emulator = await startVendorEmulator();
});

afterEach(async () => {
  await Promise.all(mailers.splice(0).map((mailer) => mailer.close()));
  emulator.reset();
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  await Promise.all(tarpits.map((tarpit) => tarpit.close()));
  await emulator.close();
});

interface TestSmtp {
  server: SmtpTestServer;
  provider: (overrides?: Partial<ProviderConfig>) => ProviderConfig;
}

/** A real SMTP server with one login made at run time, and the provider settings that reach it. */
async function smtp(security: SmtpTestSecurity = 'plain', script: SmtpFailureScript = {}): Promise<TestSmtp> {
  const username = `user${++ids}`;
  const password = secret();
  const server = await startSmtpTestServer({
    security,
    certificate: security === 'plain' ? undefined : certificate,
    users: { [username]: password },
    script,
  });
  servers.push(server);
  const id = `smtp-${ids}`;
  return {
    server,
    provider: (overrides = {}) => ({
      id,
      type: 'smtp',
      name: id,
      host: server.host,
      port: server.port,
      username,
      password,
      encryption: security === 'plain' ? 'none' : security === 'starttls' ? 'starttls' : 'ssl_tls',
      fromEmail: `noreply@${id}.example.com`,
      fromName: `Sender ${id}`,
      serviceType: 'primary',
      status: 'active',
      priority: ids,
      ...(security === 'plain' ? {} : { tls: { ca: certificate.cert } }),
      ...overrides,
    }),
  };
}

async function tarpitProvider(overrides: Partial<ProviderConfig> = {}): Promise<ProviderConfig> {
  const tarpit = await startTarpit();
  tarpits.push(tarpit);
  const id = `tarpit-${++ids}`;
  return {
    id,
    type: 'smtp',
    name: id,
    host: tarpit.host,
    port: tarpit.port,
    username: 'nobody',
    password: secret(),
    encryption: 'none',
    fromEmail: `noreply@${id}.example.com`,
    fromName: 'Hung',
    serviceType: 'primary',
    status: 'active',
    priority: ids,
    ...overrides,
  };
}

function engine(providers: ProviderConfig[], extra: Partial<MailerOptions> = {}): Mailer {
  const mailer = createMailer({ providers, timeouts: TIMEOUTS, ...extra });
  mailers.push(mailer);
  return mailer;
}

function outcomes(attempts: Attempt[]): string[] {
  return attempts.map((a) => `${a.providerId}:${a.outcome}${a.skippedReason ? `(${a.skippedReason})` : ''}`);
}

async function healthOf(mailer: Mailer, providerId: string) {
  const found = (await mailer.health()).find((entry) => entry.providerId === providerId);
  if (!found) throw new Error(`no health for ${providerId}`);
  return found;
}

/** Decoded attachment contents of a vendor JSON body, by file name (`filename`/`name` + base64 `content`). */
function jsonAttachments(json: unknown): Map<string, Buffer> {
  const found = new Map<string, Buffer>();
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(walk);
    if (typeof value !== 'object' || value === null) return;
    const entries = Object.fromEntries(Object.entries(value));
    const name = entries.filename ?? entries.name ?? entries.Name;
    const content = entries.content ?? entries.Content;
    if (typeof name === 'string' && typeof content === 'string')
      found.set(name, Buffer.from(content, 'base64'));
    Object.values(entries).forEach(walk);
  };
  walk(json);
  return found;
}

describe('SMTP failure modes through the engine (real servers)', () => {
  type Case = {
    name: string;
    security?: SmtpTestSecurity;
    script?: SmtpFailureScript;
    /** Changes the primary's settings instead of the server's behaviour. */
    settings?: (p: ProviderConfig) => Partial<ProviderConfig>;
    /** Takes the server down before sending. */
    down?: boolean;
    category: FailureCategory;
    fallback: boolean;
    state: 'CLOSED' | 'OPEN';
    counted: number;
    cooldown?: boolean;
    duplicate?: boolean;
  };
  const cases: Case[] = [
    {
      name: 'connect 421',
      script: { connect: SMTP_REPLIES.connectUnavailable },
      category: 'PROVIDER_UNAVAILABLE',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'connect 554',
      script: { connect: SMTP_REPLIES.connectRefused },
      category: 'PROVIDER_UNAVAILABLE',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'connection refused (server down)',
      down: true,
      category: 'CONNECTION',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'AUTH 535 5.7.8',
      script: { auth: SMTP_REPLIES.authInvalid },
      category: 'AUTH',
      fallback: true,
      state: 'OPEN',
      counted: 1,
    },
    {
      name: 'a wrong password',
      settings: () => ({ password: secret() }),
      category: 'AUTH',
      fallback: true,
      state: 'OPEN',
      counted: 1,
    },
    {
      name: 'AUTH 454 4.7.0',
      script: { auth: SMTP_REPLIES.authTemporary },
      category: 'AUTH',
      fallback: true,
      state: 'OPEN',
      counted: 1,
    },
    {
      name: 'MAIL FROM 550 5.7.1',
      script: { mailFrom: SMTP_REPLIES.senderNotAllowed },
      category: 'RELAY_DENIED',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'MAIL FROM 451 4.3.0',
      script: { mailFrom: SMTP_REPLIES.mailFromLocalError },
      category: 'PROVIDER_UNAVAILABLE',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'SES throttling at MAIL FROM',
      script: { mailFrom: SMTP_REPLIES.sesThrottling },
      category: 'RATE_LIMITED',
      fallback: true,
      state: 'CLOSED',
      counted: 0,
      cooldown: true,
    },
    {
      name: 'RCPT 550 5.1.1 for every recipient',
      script: { rcpt: SMTP_REPLIES.userUnknown },
      category: 'RECIPIENT_REJECTED',
      fallback: false,
      state: 'CLOSED',
      counted: 0,
    },
    {
      name: 'RCPT 452 4.5.3',
      script: { rcpt: SMTP_REPLIES.tooManyRecipients },
      category: 'PROVIDER_UNAVAILABLE',
      fallback: true,
      state: 'CLOSED',
      counted: 0,
    },
    {
      name: 'RCPT 554 5.7.1 relay access denied',
      script: { rcpt: SMTP_REPLIES.relayDenied },
      category: 'RELAY_DENIED',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'DATA 554 5.6.0',
      script: { data: SMTP_REPLIES.contentRejected },
      category: 'MESSAGE_REJECTED',
      fallback: false,
      state: 'CLOSED',
      counted: 0,
    },
    {
      name: 'DATA 552 5.3.4',
      script: { data: SMTP_REPLIES.messageTooBig },
      category: 'MESSAGE_REJECTED',
      fallback: false,
      state: 'CLOSED',
      counted: 0,
    },
    {
      name: 'connection dropped after DATA',
      script: { dropAfterData: true },
      category: 'AMBIGUOUS',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
      duplicate: true,
    },
    {
      name: 'connection dropped at MAIL FROM',
      script: { dropAt: 'mailFrom' },
      category: 'CONNECTION',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'connection dropped at RCPT TO',
      script: { dropAt: 'rcpt' },
      category: 'CONNECTION',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'SSL/TLS toward a STARTTLS port (wrong version number)',
      security: 'starttls',
      settings: () => ({ encryption: 'ssl_tls' }),
      category: 'TLS',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
    {
      name: 'an untrusted certificate',
      security: 'implicit_tls',
      settings: () => ({ tls: {} }),
      category: 'TLS',
      fallback: true,
      state: 'CLOSED',
      counted: 1,
    },
  ];

  it.each(cases)('$name -> $category, fallback $fallback, circuit $state', async (c) => {
    const primary = await smtp(c.security ?? 'plain', c.script ?? {});
    const fallback = await smtp('plain');
    const primaryConfig = primary.provider();
    const config = { ...primaryConfig, ...(c.settings ? c.settings(primaryConfig) : {}) };
    if (c.down) await primary.server.stop();
    const mailer = engine([config, fallback.provider({ serviceType: 'fallback' })]);

    const result = await mailer.send(message);
    const failure = result.attempts[0]?.failure;
    expect(failure?.category).toBe(c.category);
    expect(failure?.hint.en.length).toBeGreaterThan(10);
    expect(failure?.hint.tr.length).toBeGreaterThan(10);
    expect(result.ok).toBe(c.fallback);
    expect(fallback.server.messages).toHaveLength(c.fallback ? 1 : 0);
    if (!c.fallback) expect(result.failure?.category).toBe(c.category);
    if (c.duplicate) expect(failure?.possibleDuplicate).toBe(true);
    else expect(failure?.possibleDuplicate).not.toBe(true);

    const health = await healthOf(mailer, config.id);
    expect(health.state).toBe(c.state);
    expect(health.consecutiveFailures).toBe(c.counted);
    expect(health.cooldownUntil !== null).toBe(c.cooldown === true);
  });

  it('a connection dropped at RCPT falls back to the next provider as CONNECTION, not AMBIGUOUS', async () => {
    const primary = await smtp('starttls', { dropAt: 'rcpt' });
    const fallback = await smtp('plain');
    const mailer = engine([primary.provider(), fallback.provider({ serviceType: 'fallback' })]);

    const result = await mailer.send(message);

    expect(result).toMatchObject({ ok: true, deliveredBy: fallback.provider().id });
    expect(outcomes(result.attempts)).toEqual([
      `${primary.provider().id}:FAILED`,
      `${fallback.provider().id}:SENT`,
    ]);
    const failure = result.attempts[0]?.failure;
    expect(failure).toMatchObject({ category: 'CONNECTION', fallback: true, retryable: true });
    expect(failure?.possibleDuplicate).not.toBe(true);
    expect(failure?.hint.en).toMatch(/nothing was sent/);
    expect(primary.server.messages).toHaveLength(0);
    expect(fallback.server.messages).toHaveLength(1);
    expect(topHeaders(fallback.server.messages[0]?.raw ?? '')['message-id']).toBe(result.messageId);
  });

  it('a hung primary (tarpit) costs its time budget once; the circuit opens and later sends skip it', async () => {
    const hung = await tarpitProvider();
    const tarpit = tarpits[tarpits.length - 1];
    const fallback = await smtp('plain');
    const mailer = engine([hung, fallback.provider({ serviceType: 'fallback' })]);

    let started = performance.now();
    const first = await mailer.send(message);
    const firstMs = performance.now() - started;
    expect(first.ok).toBe(true);
    expect(first.attempts[0]).toMatchObject({ outcome: 'FAILED', failure: { category: 'TIMEOUT' } });
    expect(firstMs).toBeGreaterThanOrEqual(TIMEOUTS.greetingMs - 50);
    expect(firstMs).toBeLessThan(TIMEOUTS.connectMs + TIMEOUTS.greetingMs + 1_000);

    const latencies: number[] = [];
    for (let i = 0; i < 20; i++) {
      started = performance.now();
      const result = await mailer.send(message);
      latencies.push(performance.now() - started);
      expect(outcomes(result.attempts)).toEqual([
        `${hung.id}:SKIPPED(circuit_open)`,
        `${fallback.provider().id}:SENT`,
      ]);
    }
    expect(Math.max(...latencies)).toBeLessThan(500);
    expect(tarpit?.connectionCount).toBe(1);
    expect((await healthOf(mailer, hung.id)).state).toBe('OPEN');
  });

  it('records recipients refused while the others got the message', async () => {
    const only = await smtp('plain', { rcptByAddress: { 'bob@example.org': SMTP_REPLIES.userUnknown } });
    const mailer = engine([only.provider()]);
    const result = await mailer.send(message);
    expect(result.ok).toBe(true);
    expect(result.rejectedRecipients).toEqual([
      expect.objectContaining({ address: 'bob@example.org', smtpCode: 550, enhancedCode: '5.1.1' }),
    ]);
    expect(only.server.messages[0]?.rcptTo.sort()).toEqual(['ann@example.org', 'cy@example.org']);
    expect((await healthOf(mailer, only.provider().id)).consecutiveFailures).toBe(0);
  });
});

describe('the same message to every provider', () => {
  it('the SMTP fallback receives the same Message-ID and byte-identical attachments', async () => {
    const primary = await smtp('starttls', { dropAfterData: true });
    const fallback = await smtp('implicit_tls');
    const mailer = engine([primary.provider(), fallback.provider({ serviceType: 'fallback' })]);
    const result = await mailer.send(message);
    expect(result.ok).toBe(true);
    expect(result.attempts[0]?.failure?.category).toBe('AMBIGUOUS');

    const first = primary.server.messages[0];
    const second = fallback.server.messages[0];
    if (!first || !second) throw new Error('both servers should have the message');
    expect(first.secure && second.secure).toBe(true);
    expect(topHeaders(first.raw)['message-id']).toBe(result.messageId);
    expect(topHeaders(second.raw)['message-id']).toBe(result.messageId);
    expect(topHeaders(first.raw)['from']).toContain(primary.provider().fromEmail);
    expect(topHeaders(second.raw)['from']).toContain(fallback.provider().fromEmail);

    const a = attachmentsOf(first.raw);
    const b = attachmentsOf(second.raw);
    for (const [name, original] of [
      ['invoice.pdf', pdf],
      ['logo.png', png],
    ] as const) {
      expect(a.get(name)?.body.equals(original)).toBe(true);
      expect(b.get(name)?.body.equals(original)).toBe(true);
    }
    expect(b.get('logo.png')?.headers['content-id']).toBe('<logo@example.com>');
  });

  it('an HTTP API fallback receives the same Message-ID and the same attachment bytes', async () => {
    const primary = await smtp('plain', { dropAfterData: true });
    const api = emulator.provider('sendgrid', { serviceType: 'fallback', priority: 99 });
    const mailer = engine([primary.provider(), api]);
    const result = await mailer.send(message);
    expect(result).toMatchObject({ ok: true, deliveredBy: api.id });

    const [request] = emulator.requests('sendgrid', 'send');
    expect(JSON.stringify(request?.json)).toContain(result.messageId);
    const files = jsonAttachments(request?.json);
    expect(files.get('invoice.pdf')?.equals(pdf)).toBe(true);
    expect(files.get('logo.png')?.equals(png)).toBe(true);
    const smtpFiles = attachmentsOf(primary.server.messages[0]?.raw ?? '');
    expect(smtpFiles.get('invoice.pdf')?.body.equals(files.get('invoice.pdf') ?? Buffer.alloc(0))).toBe(true);
  });
});

describe('HTTP API failures through the engine (vendor emulator)', () => {
  const vendors: ApiVendor[] = [
    'zeptomail',
    'sendgrid',
    'mailgun',
    'postmark',
    'resend',
    'brevo',
    'sparkpost',
  ];
  type Row = [
    ApiVendor,
    'auth' | 'rate_limit' | 'validation' | 'sender_not_verified' | 'unavailable',
    FailureCategory,
    boolean,
  ];
  const rows: Row[] = vendors.flatMap((vendor): Row[] => [
    [vendor, 'auth', 'AUTH', true],
    [vendor, 'rate_limit', 'RATE_LIMITED', true],
    [vendor, 'validation', 'MESSAGE_REJECTED', false],
    [vendor, 'sender_not_verified', 'RELAY_DENIED', true],
    [vendor, 'unavailable', 'PROVIDER_UNAVAILABLE', true],
  ]);

  it.each(rows)('%s %s -> %s, fallback %s', async (vendor, reason, category, fallsBack) => {
    const api = emulator.provider(vendor);
    const spare = await smtp('plain');
    const clock = new FakeClock();
    const mailer = engine([api, spare.provider({ serviceType: 'fallback' })], { clock });
    emulator.failNext(vendor, { reason, retryAfterSeconds: reason === 'rate_limit' ? 7 : undefined });

    const result = await mailer.send(message);
    expect(result.attempts[0]?.failure?.category).toBe(category);
    expect(result.ok).toBe(fallsBack);
    expect(spare.server.messages).toHaveLength(fallsBack ? 1 : 0);

    const health = await healthOf(mailer, api.id);
    if (category === 'AUTH') expect(health.state).toBe('OPEN');
    if (category === 'RATE_LIMITED') {
      expect(health.consecutiveFailures).toBe(0);
      // Vendors that send an absolute reset time (epoch seconds) give the wait to within a second.
      const wait = (health.cooldownUntil?.getTime() ?? 0) - clock.now();
      expect(wait).toBeGreaterThan(5_900);
      expect(wait).toBeLessThanOrEqual(8_000);
    }
    if (category === 'MESSAGE_REJECTED') expect(health.consecutiveFailures).toBe(0);
  });

  it('an API that takes the request and never answers costs its budget once, as a possible duplicate', async () => {
    const api = emulator.provider('postmark');
    const spare = await smtp('plain');
    const mailer = engine([api, spare.provider({ serviceType: 'fallback' })]);
    emulator.hangNext('postmark');
    const result = await mailer.send(message);
    expect(result.ok).toBe(true);
    expect(result.attempts[0]?.failure).toMatchObject({ category: 'AMBIGUOUS', possibleDuplicate: true });
    expect(result.attempts[0]?.durationMs).toBeLessThan(TIMEOUTS.socketMs + 1_000);
  });
});

describe('chain behaviour with real providers', () => {
  it('routes CRM mail to the CRM provider, then the whole DEFAULT chain last; inactive ones are never contacted', async () => {
    const crm = emulator.provider('resend', { id: 'crm', type: 'crm_api_smtp', priority: 1 });
    const main = await smtp('plain');
    const spare = await smtp('plain');
    const sleeping = await smtp('plain');
    const mailer = engine([
      crm,
      main.provider({ priority: 2 }),
      spare.provider({ serviceType: 'fallback', priority: 3 }),
      sleeping.provider({ status: 'inactive', priority: 4 }),
    ]);
    expect((await mailer.chain('CRM')).map((p) => p.id)).toEqual([
      'crm',
      main.provider().id,
      spare.provider().id,
    ]);
    expect((await mailer.chain('DEFAULT')).map((p) => p.id)).toEqual([
      main.provider().id,
      spare.provider().id,
    ]);

    const viaCrm = await mailer.send(message, { channel: 'CRM' });
    expect(viaCrm.deliveredBy).toBe('crm');
    expect(emulator.requests('resend', 'send')).toHaveLength(1);

    emulator.failNext('resend', { reason: 'unavailable' });
    main.server.fail({ connect: SMTP_REPLIES.connectUnavailable });
    const lastResort = await mailer.send(message, { channel: 'CRM' });
    expect(outcomes(lastResort.attempts)).toEqual([
      'crm:FAILED',
      `${main.provider().id}:FAILED`,
      `${spare.provider().id}:SENT`,
    ]);

    const plain = await mailer.send(message);
    expect(plain.attempts.some((a) => a.providerId === 'crm')).toBe(false);
    expect(sleeping.server.connectionCount).toBe(0);
  });

  it('walks open -> half-open -> closed with the injected clock', async () => {
    const primary = await smtp('plain', { auth: SMTP_REPLIES.authInvalid });
    const fallback = await smtp('plain');
    const clock = new FakeClock();
    const mailer = engine([primary.provider(), fallback.provider({ serviceType: 'fallback' })], { clock });
    const id = primary.provider().id;

    await mailer.send(message);
    expect((await healthOf(mailer, id)).state).toBe('OPEN');
    clock.advance(10_000);
    const skipped = await mailer.send(message);
    expect(skipped.attempts[0]).toMatchObject({ outcome: 'SKIPPED', skippedReason: 'circuit_open' });
    const loginsBefore = primary.server.logins.length;

    primary.server.reset();
    clock.advance(20_000);
    expect((await healthOf(mailer, id)).state).toBe('HALF_OPEN');
    const probe = await mailer.send(message);
    expect(outcomes(probe.attempts)).toEqual([`${id}:SENT`]);
    expect(primary.server.logins.length).toBeGreaterThan(loginsBefore);
    expect(await healthOf(mailer, id)).toMatchObject({
      state: 'CLOSED',
      consecutiveFailures: 0,
      openUntil: null,
    });
  });

  it('does not lock itself out after a total outage', async () => {
    const a = await smtp('plain', { auth: SMTP_REPLIES.authInvalid });
    const b = await smtp('plain', { connect: SMTP_REPLIES.connectUnavailable });
    const clock = new FakeClock();
    const mailer = engine([a.provider(), b.provider({ serviceType: 'fallback' })], {
      clock,
      breaker: { failureThreshold: 1 },
    });
    const outage = await mailer.send(message);
    expect(outage.ok).toBe(false);
    expect(outage.attempts.map((attempt) => attempt.failure?.category)).toEqual([
      'AUTH',
      'PROVIDER_UNAVAILABLE',
    ]);
    expect(outage.failure?.retryable).toBe(true);

    // Both come back long before their windows end; the engine must not wait for the windows.
    a.server.reset();
    b.server.reset();
    clock.advance(1_000);
    const next = await mailer.send(message);
    expect(next.ok).toBe(true);
    expect(next.attempts.filter((attempt) => attempt.outcome === 'SKIPPED')).toHaveLength(2);
    expect(a.server.messages.length + b.server.messages.length).toBe(1);
  });

  it('honours the caller’s AbortSignal on a hung provider without blaming it', async () => {
    const hung = await tarpitProvider();
    const mailer = createMailer({ providers: [hung], timeouts: { connectMs: 5_000, greetingMs: 5_000 } });
    mailers.push(mailer);
    const controller = new AbortController();
    const started = performance.now();
    setTimeout(() => controller.abort(new Error('request cancelled')), 100);
    await expect(mailer.send(message, { signal: controller.signal })).rejects.toThrow('request cancelled');
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(await healthOf(mailer, hung.id)).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0 });
  });
});

describe('verify and sendVia against real servers', () => {
  it('verify connects and authenticates over STARTTLS with a trusted CA, sending nothing', async () => {
    const server = await smtp('starttls');
    const mailer = engine([]);
    const result = await mailer.verify(server.provider());
    expect(result).toMatchObject({ ok: true, warnings: [] });
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(server.server.logins.some((login) => login.ok)).toBe(true);
    expect(server.server.messages).toHaveLength(0);

    const wrong = await mailer.verify(server.provider({ password: secret() }));
    expect(wrong.failure?.category).toBe('AUTH');

    const unchecked = await mailer.verify(server.provider({ tls: { rejectUnauthorized: false } }));
    expect(unchecked.ok).toBe(true);
    expect(unchecked.warnings.join(' ')).toMatch(/verification is off/);
  });

  it('verify reaches an HTTP vendor and reports a bad key', async () => {
    const mailer = engine([]);
    expect((await mailer.verify(emulator.provider('sendgrid'))).ok).toBe(true);
    const bad = await mailer.verify(emulator.provider('sendgrid', { password: secret() }));
    expect(bad.failure?.category).toBe('AUTH');
  });

  it('sendVia uses one provider with no fallback and records its health', async () => {
    const primary = await smtp('plain', { auth: SMTP_REPLIES.authInvalid });
    const fallback = await smtp('plain');
    const mailer = engine([primary.provider(), fallback.provider({ serviceType: 'fallback' })]);
    const result = await mailer.sendVia(primary.provider().id, message);
    expect(result.ok).toBe(false);
    expect(outcomes(result.attempts)).toEqual([`${primary.provider().id}:FAILED`]);
    expect(fallback.server.messages).toHaveLength(0);
    expect((await healthOf(mailer, primary.provider().id)).state).toBe('OPEN');
  });
});

describe('secrets', () => {
  it('no password or API key appears in any log line or result', async () => {
    const lines: LogLine[] = [];
    const bad = await smtp('starttls', { auth: SMTP_REPLIES.authInvalid });
    const wrongPassword = await smtp('plain');
    const good = await smtp('implicit_tls');
    const api = emulator.provider('mailgun', { serviceType: 'fallback', priority: 50 });
    const configs = [
      bad.provider(),
      wrongPassword.provider({ password: secret() }),
      good.provider({ serviceType: 'fallback' }),
      api,
    ];
    const mailer = engine(configs, { logger: capturingLogger(lines) });
    emulator.failNext('mailgun', { reason: 'auth' });

    const results: unknown[] = [];
    results.push(await mailer.send(message));
    good.server.fail({ auth: SMTP_REPLIES.authInvalid });
    results.push(await mailer.send(message));
    results.push(await mailer.sendVia(api.id, message));
    results.push(await mailer.verify(configs[1] ?? api));
    const badKey = secret();
    results.push(await mailer.verify({ ...api, password: badKey }));
    results.push(await mailer.chain('DEFAULT'), await mailer.health());

    const everything = JSON.stringify({ lines, results });
    expect(lines.length).toBeGreaterThan(5);
    for (const config of [...configs, { ...api, password: badKey }]) {
      const forms = [
        config.password,
        Buffer.from(config.password).toString('base64'),
        Buffer.from(`\0${config.username}\0${config.password}`).toString('base64'),
        Buffer.from(`api:${config.password}`).toString('base64'),
      ];
      for (const form of forms) expect(everything).not.toContain(form);
    }
  });
});
