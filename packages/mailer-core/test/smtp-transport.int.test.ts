import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import type { Logger } from '../src/logger';
import type { ProviderConfig } from '../src/provider';
import type { FailureCategory, Stage, TransportResult } from '../src/result';
import {
  SMTP_REPLIES,
  createTestCertificate,
  startSmtpTestServer,
  startTarpit,
  type SmtpFailureScript,
  type SmtpTestServer,
  type TestCertificate,
} from '../src/test-support';
import { createSmtpTransport } from '../src/transports/smtp/smtp-transport';
import type { Timeouts, Transport } from '../src/transports/transport';
import { smtpProvider, testEnvelope } from './support/smtp-fixtures';

const USER = 'mailer-user';
const password = 'pw-' + randomBytes(12).toString('hex');
const passwordForms = [
  password,
  Buffer.from(password).toString('base64'),
  Buffer.from(`\0${USER}\0${password}`).toString('base64'),
];

/** Generous enough for a TLS handshake on a busy machine. */
const NORMAL: Timeouts = { connectMs: 3_000, greetingMs: 3_000, socketMs: 5_000 };
/** Short enough for a quick test of a slow server, long enough not to trip on a busy machine. */
const MEDIUM: Timeouts = { connectMs: 1_000, greetingMs: 1_000, socketMs: 2_000 };
/** Small, to prove a hung server costs no more than its budget. */
const SHORT: Timeouts = { connectMs: 300, greetingMs: 300, socketMs: 600 };

interface LogLine {
  level: string;
  obj: object;
  msg?: string;
}

function recordingLogger(lines: LogLine[]): Logger {
  const log = (level: string) => (obj: object, msg?: string) => {
    lines.push({ level, obj, msg });
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

function providerFor(
  target: { host: string; port: number },
  overrides: Partial<ProviderConfig> = {},
): ProviderConfig {
  return smtpProvider(target, { username: USER, password, ...overrides });
}

const envelope = testEnvelope;

const transports: Transport[] = [];
const cleanups: Array<() => Promise<void>> = [];

function transportFor(provider: ProviderConfig, timeouts: Timeouts = NORMAL, logger?: Logger): Transport {
  const transport = createSmtpTransport(provider, { timeouts, logger: logger ?? recordingLogger([]) });
  transports.push(transport);
  return transport;
}

async function server(options: Parameters<typeof startSmtpTestServer>[0] = {}): Promise<SmtpTestServer> {
  const started = await startSmtpTestServer({ users: { [USER]: password }, ...options });
  cleanups.push(() => started.close());
  return started;
}

afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function expectNoSecret(value: unknown): void {
  const serialised = JSON.stringify(value);
  for (const form of passwordForms) expect(serialised).not.toContain(form);
}

function failureOf(result: TransportResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.failure;
}

/** A port nothing listens on: bound once, then released. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

let certificate: TestCertificate;
beforeAll(async () => {
  certificate = await createTestCertificate();
});

describe('SMTP transport: delivery', () => {
  it('logs in and delivers to To, Cc and Bcc, without a Bcc header', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp));
    const sent = envelope({
      cc: [{ address: 'cc@example.com' }],
      bcc: [{ address: 'hidden@example.com' }],
    });

    const result = await transport.send(sent);

    expect(result).toMatchObject({ ok: true, rejected: [] });
    expect(result.ok && [...result.accepted].sort()).toEqual([
      'ann@example.com',
      'cc@example.com',
      'hidden@example.com',
    ]);
    const [received] = await smtp.waitForMessages(1);
    expect(received?.authUser).toBe(USER);
    expect(received?.mailFrom).toBe('sender@mailer.test');
    const raw = received?.raw.toString('utf8') ?? '';
    expect(raw).toContain(`Message-ID: ${sent.messageId}`);
    expect(raw).toContain('Subject: Hello');
    expect(raw).toMatch(/^To: Ann <ann@example\.com>/m);
    expect(raw).toMatch(/^Cc: cc@example\.com/m);
    expect(raw).not.toMatch(/^Bcc:/im);
    expect(raw).not.toContain('hidden@example.com');
  });

  it('carries attachments byte for byte, an inline image, Reply-To and custom headers', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp));
    const pdf = randomBytes(5_000);
    const logo = randomBytes(700);
    const sent = envelope({
      replyTo: { address: 'replies@mailer.test', name: 'Replies' },
      html: '<p>Hi <img src="cid:logo@mailer.test"></p>',
      headers: { 'X-Campaign': 'spring-2025', 'List-Unsubscribe': '<mailto:unsub@mailer.test>' },
      attachments: [
        { filename: 'report.pdf', content: pdf, contentType: 'application/pdf' },
        { filename: 'logo.png', content: logo, contentType: 'image/png', cid: 'logo@mailer.test' },
      ],
    });

    const result = await transport.send(sent);

    expect(result.ok).toBe(true);
    const [received] = await smtp.waitForMessages(1);
    const raw = received?.raw.toString('utf8') ?? '';
    expect(raw).toMatch(/^Reply-To: Replies <replies@mailer\.test>/m);
    expect(raw).toMatch(/^X-Campaign: spring-2025/m);
    expect(raw).toMatch(/^List-Unsubscribe: <mailto:unsub@mailer\.test>/m);
    expect(raw).toContain('multipart/related');
    expect(raw).toContain('Content-ID: <logo@mailer.test>');
    expect(raw).toMatch(/Content-Disposition: inline; filename=logo\.png/);
    expect(raw).toMatch(/Content-Disposition: attachment; filename=report\.pdf/);
    const unwrapped = raw.replace(/\r\n/g, '');
    expect(unwrapped).toContain(pdf.toString('base64'));
    expect(unwrapped).toContain(logo.toString('base64'));
  });

  it('builds the same bytes for the same envelope, apart from the Date header', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp));
    const sent = envelope({
      html: '<b>same</b>',
      attachments: [
        { filename: 'a.bin', content: randomBytes(300), contentType: 'application/octet-stream' },
      ],
    });

    await transport.send(sent);
    await transport.send(sent);

    const [first, second] = await smtp.waitForMessages(2);
    const withoutDate = (raw: Buffer | undefined) => raw?.toString('utf8').replace(/^Date: .*\r\n/m, '');
    expect(withoutDate(first?.raw)).toEqual(withoutDate(second?.raw));
  });

  it('sends without AUTH when Username is empty', async () => {
    const smtp = await server({ users: {} });
    const transport = transportFor(providerFor(smtp, { username: '', password: '' }));

    const result = await transport.send(envelope());

    expect(result.ok).toBe(true);
    const [received] = await smtp.waitForMessages(1);
    expect(received?.authUser).toBeUndefined();
  });

  it('records recipients refused while the others get the message', async () => {
    const smtp = await server({
      script: { rcptByAddress: { 'nobody@example.com': SMTP_REPLIES.userUnknown } },
    });
    const transport = transportFor(providerFor(smtp));

    const result = await transport.send(
      envelope({ to: [{ address: 'ann@example.com' }, { address: 'nobody@example.com' }] }),
    );

    expect(result).toMatchObject({
      ok: true,
      accepted: ['ann@example.com'],
      rejected: [{ address: 'nobody@example.com', smtpCode: 550, enhancedCode: '5.1.1' }],
    });
    const [received] = await smtp.waitForMessages(1);
    expect(received?.rcptTo).toEqual(['ann@example.com']);
  });

  it('sends many messages at once over a bounded pool of connections', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp));

    const results = await Promise.all(Array.from({ length: 12 }, () => transport.send(envelope())));

    expect(results.every((result) => result.ok)).toBe(true);
    await smtp.waitForMessages(12);
    expect(smtp.connectionCount).toBeLessThanOrEqual(5);
  });
});

describe('SMTP transport: close', () => {
  it('closes its pooled connections and takes no more messages', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp));
    expect((await transport.send(envelope())).ok).toBe(true);
    expect(smtp.openConnections).toBe(1);

    await transport.close();

    await expect(transport.send(envelope())).rejects.toThrow(/closed/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(smtp.openConnections).toBe(0);
    expect(smtp.messages).toHaveLength(1);
  });
});

describe('SMTP transport: TLS', () => {
  it('upgrades with STARTTLS and trusts the server through tls.ca', async () => {
    const smtp = await server({ security: 'starttls', certificate });
    const transport = transportFor(
      providerFor(smtp, { encryption: 'starttls', tls: { ca: certificate.cert } }),
    );

    const result = await transport.send(envelope());

    expect(result.ok).toBe(true);
    const [received] = await smtp.waitForMessages(1);
    expect(received?.secure).toBe(true);
    expect(received?.authUser).toBe(USER);
  });

  it('speaks TLS from the first byte with SSL/TLS', async () => {
    const smtp = await server({ security: 'implicit_tls', certificate });
    const transport = transportFor(
      providerFor(smtp, { encryption: 'ssl_tls', tls: { ca: certificate.cert } }),
    );

    const result = await transport.send(envelope());

    expect(result.ok).toBe(true);
    const [received] = await smtp.waitForMessages(1);
    expect(received?.secure).toBe(true);
  });

  it.each([
    ['starttls', 'starttls'],
    ['implicit_tls', 'ssl_tls'],
  ] as const)('refuses an untrusted certificate (%s) as TLS', async (security, encryption) => {
    const smtp = await server({ security, certificate });
    const transport = transportFor(providerFor(smtp, { encryption }));

    const failure = failureOf(await transport.send(envelope()));

    expect(failure.category).toBe('TLS');
    expect(failure.hint.en).toMatch(/certificate/i);
    expect(smtp.messages).toHaveLength(0);
    expectNoSecret(failure);
  });

  it('recognises SSL/TLS chosen for a STARTTLS port (wrong version number)', async () => {
    const smtp = await server({ security: 'starttls', certificate });
    const transport = transportFor(
      providerFor(smtp, { encryption: 'ssl_tls', tls: { ca: certificate.cert } }),
    );

    const failure = failureOf(await transport.send(envelope()));

    expect(failure.category).toBe('TLS');
    expect(failure.message).toMatch(/wrong version number/i);
    expect(failure.hint.en).toContain('wrong version number: SSL/TLS was chosen for a STARTTLS port');
    expect(failure.hint.en).toContain('use STARTTLS on 587 or SSL/TLS on 465');
    expect(failure.hint.tr).toContain('587');
  });

  it('recognises STARTTLS chosen for an implicit-TLS port as a greeting timeout that names 465', async () => {
    const smtp = await server({ security: 'implicit_tls', certificate });
    const transport = transportFor(
      providerFor(smtp, { encryption: 'starttls', tls: { ca: certificate.cert } }),
      SHORT,
    );

    const failure = failureOf(await transport.send(envelope()));

    expect(failure.category).toBe('TIMEOUT');
    expect(failure.stage).toBe('greeting');
    expect(failure.hint.en).toContain('465');
  });

  it('reports a server that does not offer STARTTLS when STARTTLS is required', async () => {
    const smtp = await server({ security: 'plain' });
    const transport = transportFor(providerFor(smtp, { encryption: 'starttls' }));

    const failure = failureOf(await transport.send(envelope()));

    expect(failure).toMatchObject({ category: 'TLS', stage: 'tls', command: 'STARTTLS' });
    expect(failure.hint.en).toMatch(/does not offer STARTTLS/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('refuses plain SMTP toward a host that is not loopback', () => {
    expect(() =>
      createSmtpTransport(providerFor({ host: 'smtp.example.com', port: 25 }), {
        timeouts: NORMAL,
        logger: recordingLogger([]),
      }),
    ).toThrow(/loopback/);
  });
});

interface FailureCase {
  script: SmtpFailureScript;
  category: FailureCategory;
  /** Absent when nodemailer names no stage (a connection lost with no reply is filed under `CONN`). */
  stage: Stage | undefined;
  smtpCode?: number;
  enhancedCode?: string;
  hint: RegExp;
  fallback: boolean;
  /** Checked when given. */
  retryable?: boolean;
}

describe('SMTP transport: scripted failures', () => {
  const cases: Array<[string, FailureCase]> = [
    [
      'connect 421',
      {
        script: { connect: SMTP_REPLIES.connectUnavailable },
        category: 'PROVIDER_UNAVAILABLE',
        stage: 'greeting',
        smtpCode: 421,
        hint: /^421: /,
        fallback: true,
      },
    ],
    [
      'connect 554',
      {
        script: { connect: SMTP_REPLIES.connectRefused },
        category: 'PROVIDER_UNAVAILABLE',
        stage: 'greeting',
        smtpCode: 554,
        hint: /IP may be blocked/,
        fallback: true,
      },
    ],
    [
      'AUTH 535',
      {
        script: { auth: SMTP_REPLIES.authInvalid },
        category: 'AUTH',
        stage: 'auth',
        smtpCode: 535,
        enhancedCode: '5.7.8',
        hint: /Username and Password/,
        fallback: true,
      },
    ],
    [
      'AUTH 454',
      {
        script: { auth: SMTP_REPLIES.authTemporary },
        category: 'AUTH',
        stage: 'auth',
        smtpCode: 454,
        enhancedCode: '4.7.0',
        hint: /temporary/i,
        fallback: true,
      },
    ],
    [
      'MAIL FROM 550 5.7.1',
      {
        script: { mailFrom: SMTP_REPLIES.senderNotAllowed },
        category: 'RELAY_DENIED',
        stage: 'mail_from',
        smtpCode: 550,
        enhancedCode: '5.7.1',
        hint: /relay not allowed/,
        fallback: true,
      },
    ],
    [
      'MAIL FROM 451',
      {
        script: { mailFrom: SMTP_REPLIES.mailFromLocalError },
        category: 'PROVIDER_UNAVAILABLE',
        stage: 'mail_from',
        smtpCode: 451,
        enhancedCode: '4.3.0',
        hint: /temporary error/,
        fallback: true,
      },
    ],
    [
      'MAIL FROM 454 SES throttling',
      {
        script: { mailFrom: SMTP_REPLIES.sesThrottling },
        category: 'RATE_LIMITED',
        stage: 'mail_from',
        smtpCode: 454,
        hint: /Amazon SES/,
        fallback: true,
      },
    ],
    [
      'RCPT 550 5.1.1',
      {
        script: { rcpt: SMTP_REPLIES.userUnknown },
        category: 'RECIPIENT_REJECTED',
        stage: 'rcpt',
        smtpCode: 550,
        enhancedCode: '5.1.1',
        hint: /does not exist/,
        fallback: false,
      },
    ],
    [
      'RCPT 452 4.5.3',
      {
        script: { rcpt: SMTP_REPLIES.tooManyRecipients },
        category: 'PROVIDER_UNAVAILABLE',
        stage: 'rcpt',
        smtpCode: 452,
        enhancedCode: '4.5.3',
        hint: /fewer recipients/,
        fallback: true,
      },
    ],
    [
      'RCPT 554 5.7.1 relay denied',
      {
        script: { rcpt: SMTP_REPLIES.relayDenied },
        category: 'RELAY_DENIED',
        stage: 'rcpt',
        smtpCode: 554,
        enhancedCode: '5.7.1',
        hint: /relay access denied/,
        fallback: true,
      },
    ],
    [
      'DATA 554 5.6.0',
      {
        script: { data: SMTP_REPLIES.contentRejected },
        category: 'MESSAGE_REJECTED',
        stage: 'after_data',
        smtpCode: 554,
        enhancedCode: '5.6.0',
        hint: /content/,
        fallback: false,
      },
    ],
    [
      'DATA 552 5.3.4',
      {
        script: { data: SMTP_REPLIES.messageTooBig },
        category: 'MESSAGE_REJECTED',
        stage: 'after_data',
        smtpCode: 552,
        enhancedCode: '5.3.4',
        hint: /too big/,
        fallback: false,
      },
    ],
    [
      'connection dropped after DATA',
      {
        script: { dropAfterData: true },
        category: 'AMBIGUOUS',
        stage: 'after_data',
        hint: /may arrive twice/,
        fallback: true,
      },
    ],
    [
      'connection dropped at MAIL FROM',
      {
        script: { dropAt: 'mailFrom' },
        category: 'CONNECTION',
        stage: undefined,
        hint: /nothing was sent/,
        fallback: true,
        retryable: true,
      },
    ],
    [
      'connection dropped at RCPT TO',
      {
        script: { dropAt: 'rcpt' },
        category: 'CONNECTION',
        stage: undefined,
        hint: /nothing was sent/,
        fallback: true,
        retryable: true,
      },
    ],
    [
      'connection dropped at the DATA command, before 354',
      {
        script: { dropAt: 'data' },
        category: 'CONNECTION',
        stage: undefined,
        hint: /nothing was sent/,
        fallback: true,
        retryable: true,
      },
    ],
    [
      'slow greeting',
      {
        script: { greetingDelayMs: 3_000 },
        category: 'TIMEOUT',
        stage: 'greeting',
        hint: /never greeted/,
        fallback: true,
      },
    ],
  ];

  it.each(cases)('%s', async (_name, expected) => {
    const smtp = await server({ script: expected.script });
    const lines: LogLine[] = [];
    const transport = transportFor(providerFor(smtp), MEDIUM, recordingLogger(lines));

    const failure = failureOf(await transport.send(envelope()));

    expect(failure).toMatchObject({ category: expected.category, fallback: expected.fallback });
    expect(failure.stage).toBe(expected.stage);
    if (expected.retryable !== undefined) expect(failure.retryable).toBe(expected.retryable);
    expect(failure.smtpCode).toBe(expected.smtpCode);
    expect(failure.enhancedCode).toBe(expected.enhancedCode);
    expect(failure.hint.en).toMatch(expected.hint);
    expect(failure.hint.tr.length).toBeGreaterThan(20);
    expect(failure.possibleDuplicate === true).toBe(expected.category === 'AMBIGUOUS');
    expectNoSecret(failure);
    expectNoSecret(lines);
    expect(lines.some((line) => line.msg === 'smtp send failed')).toBe(true);
  });

  it('records the message a dropped connection took, unconfirmed', async () => {
    const smtp = await server({ script: { dropAfterData: true } });
    const transport = transportFor(providerFor(smtp), SHORT);

    const failure = failureOf(await transport.send(envelope()));

    expect(failure.category).toBe('AMBIGUOUS');
    const [received] = await smtp.waitForMessages(1);
    expect(received?.acknowledged).toBe(false);
  });

  it('takes nothing from a connection dropped before DATA', async () => {
    const smtp = await server({ script: { dropAt: 'rcpt' } });
    const transport = transportFor(providerFor(smtp), SHORT);

    const failure = failureOf(await transport.send(envelope()));

    expect(failure).toMatchObject({ category: 'CONNECTION', fallback: true, retryable: true });
    expect(failure.possibleDuplicate).not.toBe(true);
    expect(smtp.messages).toHaveLength(0);
    expect(smtp.connectionCount).toBe(1);
  });

  // nodemailer drains the message stream into nothing when the envelope fails before DATA, which must
  // not read as the content having gone out.
  it('is not AMBIGUOUS when nodemailer itself refuses the envelope before MAIL FROM', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp));

    const failure = failureOf(await transport.send(envelope({ to: [] })));

    expect(failure).toMatchObject({ category: 'MESSAGE_REJECTED', command: 'API', fallback: false });
    expect(failure.stage).toBeUndefined();
    expect(failure.possibleDuplicate).not.toBe(true);
    expect(failure.hint.en).toMatch(/no recipient/);
    expect(smtp.messages).toHaveLength(0);
  });

  it('lets a provider-side refusal decide when every recipient is refused', async () => {
    const smtp = await server({
      script: {
        rcptByAddress: {
          'nobody@example.com': SMTP_REPLIES.userUnknown,
          'elsewhere@other.test': SMTP_REPLIES.relayDenied,
        },
      },
    });
    const transport = transportFor(providerFor(smtp));

    const failure = failureOf(
      await transport.send(
        envelope({ to: [{ address: 'nobody@example.com' }, { address: 'elsewhere@other.test' }] }),
      ),
    );

    expect(failure.category).toBe('RELAY_DENIED');
    expect(failure.fallback).toBe(true);
  });

  it('classifies a wrong password without the password anywhere', async () => {
    const smtp = await server();
    const lines: LogLine[] = [];
    const transport = transportFor(
      providerFor(smtp, { password: password + '-wrong' }),
      NORMAL,
      recordingLogger(lines),
    );

    const failure = failureOf(await transport.send(envelope()));

    expect(failure.category).toBe('AUTH');
    expect(smtp.logins).toEqual([{ method: 'PLAIN', username: USER, ok: false }]);
    expectNoSecret(failure);
    expect(JSON.stringify([failure, lines])).not.toContain(password + '-wrong');
  });
});

describe('SMTP transport: unreachable providers', () => {
  it('pays a hung server (tarpit) no more than its greeting budget', async () => {
    const tarpit = await startTarpit();
    cleanups.push(() => tarpit.close());
    const transport = transportFor(providerFor(tarpit), SHORT);

    const started = performance.now();
    const failure = failureOf(await transport.send(envelope()));
    const elapsed = performance.now() - started;

    expect(failure.category).toBe('TIMEOUT');
    expect(failure.stage).toBe('greeting');
    expect(elapsed).toBeGreaterThanOrEqual(SHORT.greetingMs - 50);
    expect(elapsed).toBeLessThan(SHORT.connectMs + SHORT.greetingMs + 700);
    expect(tarpit.connectionCount).toBe(1);
  });

  it('reports a refused connection', async () => {
    const transport = transportFor(providerFor({ host: '127.0.0.1', port: await closedPort() }), SHORT);

    const failure = failureOf(await transport.send(envelope()));

    expect(failure.category).toBe('CONNECTION');
    expect(failure.hint.en).toContain('ECONNREFUSED');
  });

  it('fails while the provider is down and delivers again once it is back on the same port', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp), SHORT);
    expect((await transport.send(envelope())).ok).toBe(true);

    await smtp.stop();
    const down = failureOf(await transport.send(envelope()));
    expect(down.category).toBe('CONNECTION');

    await smtp.start();
    expect((await transport.send(envelope())).ok).toBe(true);
    expect(smtp.messages).toHaveLength(2);
  });
});

describe('SMTP transport: abort', () => {
  it('rejects with the reason at once and never sends the message', async () => {
    const smtp = await server({ script: { greetingDelayMs: 1_000 } });
    const transport = transportFor(providerFor(smtp), NORMAL);
    const controller = new AbortController();
    const reason = new Error('caller gave up');

    const sending = transport.send(envelope(), { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 50);
    const started = performance.now();

    await expect(sending).rejects.toBe(reason);
    expect(performance.now() - started).toBeLessThan(600);
    // The greeting comes later; the message must still not go out on that session.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(smtp.messages).toHaveLength(0);
  });

  it('cuts a hung session short', async () => {
    const tarpit = await startTarpit();
    cleanups.push(() => tarpit.close());
    const transport = transportFor(providerFor(tarpit), NORMAL);

    const started = performance.now();
    await expect(transport.send(envelope(), { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('rejects an already aborted signal without connecting', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp));
    const controller = new AbortController();
    controller.abort(new Error('too late'));

    await expect(transport.send(envelope(), { signal: controller.signal })).rejects.toThrow('too late');
    expect(smtp.connectionCount).toBe(0);
  });
});

describe('SMTP transport: verify', () => {
  it('connects and logs in without sending anything', async () => {
    const smtp = await server({ security: 'starttls', certificate });
    const transport = transportFor(
      providerFor(smtp, { encryption: 'starttls', tls: { ca: certificate.cert } }),
    );

    const outcome = await transport.verify();

    expect(outcome).toEqual({ ok: true, warnings: [] });
    expect(smtp.logins).toEqual([{ method: 'PLAIN', username: USER, ok: true }]);
    expect(smtp.messages).toHaveLength(0);
  });

  it('reports a refused login as AUTH, without the password', async () => {
    const smtp = await server();
    const transport = transportFor(providerFor(smtp, { password: 'not-' + password }));

    const outcome = await transport.verify();

    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.failure).toMatchObject({ category: 'AUTH', smtpCode: 535, stage: 'auth' });
    expectNoSecret(outcome);
    expect(JSON.stringify(outcome)).not.toContain('not-' + password);
  });

  it('reports a hung server as TIMEOUT', async () => {
    const tarpit = await startTarpit();
    cleanups.push(() => tarpit.close());
    const transport = transportFor(providerFor(tarpit), SHORT);

    const outcome = await transport.verify();

    expect(!outcome.ok && outcome.failure.category).toBe('TIMEOUT');
  });

  it('warns when certificate checks are off', async () => {
    const smtp = await server({ security: 'starttls', certificate });
    const transport = transportFor(
      providerFor(smtp, { encryption: 'starttls', tls: { rejectUnauthorized: false } }),
    );

    const outcome = await transport.verify();

    expect(outcome.ok).toBe(true);
    expect(outcome.warnings.join(' ')).toMatch(/certificate verification is off/i);
  });

  it('warns when the server never asked for the configured login', async () => {
    const smtp = await server({ users: {} });
    const transport = transportFor(providerFor(smtp));

    const outcome = await transport.verify();

    expect(outcome.ok).toBe(true);
    expect(outcome.warnings.join(' ')).toMatch(/did not offer AUTH/);
  });

  it('stops at once on abort', async () => {
    const tarpit = await startTarpit();
    cleanups.push(() => tarpit.close());
    const transport = transportFor(providerFor(tarpit), NORMAL);
    const reason = new Error('stop verifying');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);

    await expect(transport.verify({ signal: controller.signal })).rejects.toBe(reason);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tarpit.openConnections).toBe(0);
  });
});
