import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Logger } from '../src/logger';
import { pick } from '../src/transports/http/json-fields';
import type { Envelope } from '../src/message';
import { API_VENDORS, type ApiVendor, type ProviderConfig } from '../src/provider';
import type { FailureCategory, TransportResult } from '../src/result';
import {
  startVendorEmulator,
  type FailureReason,
  type RecordedRequest,
  type ScriptedFailure,
  type VendorEmulator,
} from '../src/test-support/vendor-emulator';
import { createHttpTransport, HttpTransportConfigError } from '../src/transports/http';
import type { Timeouts, Transport } from '../src/transports/transport';
import { createTestCertificate, type TestCertificate } from '../src/test-support/test-certificate';
import { seenMessage, show, type SeenAttachment } from './http-request-views';

const TIMEOUTS: Timeouts = { connectMs: 1_000, greetingMs: 1_000, socketMs: 3_000 };
const PDF = randomBytes(2_000);
const PNG = randomBytes(700);
const vendors = API_VENDORS.map((vendor) => [vendor] as const);

interface LogLine {
  level: string;
  fields: object;
  msg?: string;
}

function capturingLogger(lines: LogLine[]): Logger {
  const at = (level: string) => (fields: object, msg?: string) => {
    lines.push({ level, fields, ...(msg !== undefined ? { msg } : {}) });
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function fullEnvelope(provider: ProviderConfig): Envelope {
  return {
    messageId: `<${randomUUID()}@example.com>`,
    from: { address: provider.fromEmail, name: provider.fromName },
    to: [{ address: 'ann@example.net', name: 'Ann Example' }, { address: 'bob@example.net' }],
    cc: [{ address: 'carol@example.org', name: 'Carol, CC' }],
    bcc: [{ address: 'dave@example.org' }],
    replyTo: { address: 'replies@example.com', name: 'Help Desk' },
    subject: 'Quarterly report ✓',
    text: 'The report is attached.',
    html: '<p>The report is attached.</p><img src="cid:logo@example">',
    headers: { 'X-Campaign': 'q3', 'X-Trace': 'trace-7' },
    attachments: [
      { filename: 'report.pdf', content: PDF, contentType: 'application/pdf' },
      { filename: 'logo.png', content: PNG, contentType: 'image/png', cid: 'logo@example' },
    ],
  };
}

/** What each vendor should have received for the full envelope, given what its API can carry. */
function expectedAttachments(vendor: ApiVendor): SeenAttachment[] {
  if (vendor === 'brevo') {
    return [
      { filename: 'report.pdf', content: PDF.toString('base64') },
      { filename: 'logo.png', content: PNG.toString('base64') },
    ];
  }
  return [
    { filename: 'report.pdf', contentType: 'application/pdf', content: PDF.toString('base64') },
    { cid: 'logo@example', contentType: 'image/png', content: PNG.toString('base64') },
  ];
}

function failureOf(result: TransportResult) {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.failure;
}

let emulator: VendorEmulator;
let logLines: LogLine[];
const opened: Transport[] = [];

function transportFor(
  vendor: ApiVendor,
  overrides: Partial<ProviderConfig> = {},
  timeouts = TIMEOUTS,
): Transport {
  const transport = createHttpTransport(emulator.provider(vendor, overrides), {
    timeouts,
    logger: capturingLogger(logLines),
  });
  opened.push(transport);
  return transport;
}

beforeAll(async () => {
  emulator = await startVendorEmulator();
});

afterAll(async () => {
  await emulator.close();
});

beforeEach(() => {
  emulator.reset();
  logLines = [];
});

afterEach(async () => {
  await Promise.all(opened.splice(0).map((transport) => transport.close()));
});

describe('sending a full message', () => {
  it.each(vendors)('%s receives every part in its own request shape', async (vendor) => {
    const provider = emulator.provider(vendor);
    const envelope = fullEnvelope(provider);
    const result = await transportFor(vendor).send(envelope);

    expect(result).toEqual({
      ok: true,
      providerMessageId: expect.any(String),
      accepted: ['ann@example.net', 'bob@example.net', 'carol@example.org', 'dave@example.org'],
      rejected: [],
    });
    const [request] = emulator.requests(vendor, 'send');
    if (!request) throw new Error('the emulator received nothing');
    const seen = seenMessage(request);
    expect(seen).toEqual({
      from: show(provider.fromEmail, provider.fromName),
      to: ['Ann Example <ann@example.net>', 'bob@example.net'],
      cc: ['Carol, CC <carol@example.org>'],
      bcc: ['dave@example.org'],
      replyTo: 'Help Desk <replies@example.com>',
      subject: 'Quarterly report ✓',
      text: 'The report is attached.',
      html: '<p>The report is attached.</p><img src="cid:logo@example">',
      headers: { 'X-Campaign': 'q3', 'X-Trace': 'trace-7', 'Message-ID': envelope.messageId },
      attachments: expectedAttachments(vendor),
    });
  });

  it.each(vendors)('%s: the message id is read from where the vendor puts it', async (vendor) => {
    const result = await transportFor(vendor).send(fullEnvelope(emulator.provider(vendor)));
    if (!result.ok) throw new Error(JSON.stringify(result.failure));
    // The emulator makes every id from a fresh UUID, so the UUID inside the id shows it was read, not made up.
    expect(result.providerMessageId).toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
  });

  it.each<[ApiVendor, (request: RecordedRequest) => unknown]>([
    ['sendgrid', (request) => pick(request.json, 'custom_args')],
    ['mailgun', (request) => request.form?.['v:deliveryId']],
    ['postmark', (request) => pick(request.json, 'Metadata')],
    ['resend', (request) => pick(request.json, 'tags')],
    ['brevo', (request) => pick(request.json, 'headers', 'X-Mailin-custom')],
    ['sparkpost', (request) => pick(request.json, 'metadata')],
    ['zeptomail', (request) => pick(request.json, 'client_reference')],
  ])('%s: the metadata goes where the vendor echoes it back in webhook events', async (vendor, carried) => {
    const metadata = { deliveryId: 'd-42' };
    await transportFor(vendor).send({ ...fullEnvelope(emulator.provider(vendor)), metadata });
    const request = emulator.requests(vendor)[0];
    if (!request) throw new Error('nothing was sent');
    const expected = {
      sendgrid: metadata,
      mailgun: ['d-42'],
      postmark: metadata,
      resend: [{ name: 'deliveryId', value: 'd-42' }],
      brevo: 'deliveryId=d-42',
      sparkpost: metadata,
      zeptomail: 'deliveryId=d-42',
    }[vendor];
    expect(carried(request)).toEqual(expected);
  });

  it('sends Resend the Message-ID as its Idempotency-Key, so a retried send is not delivered twice', async () => {
    const envelope = fullEnvelope(emulator.provider('resend'));
    await transportFor('resend').send(envelope);
    expect(emulator.requests('resend')[0]?.headers['idempotency-key']).toBe(envelope.messageId);
  });

  it('logs that Brevo cannot carry inline images as inline', async () => {
    await transportFor('brevo').send(fullEnvelope(emulator.provider('brevo')));
    expect(logLines.some((line) => line.level === 'warn' && /inline image/.test(line.msg ?? ''))).toBe(true);
  });

  it('takes ZeptoMail tokens with or without their scheme in front', async () => {
    const key = emulator.apiKey('zeptomail');
    const result = await transportFor('zeptomail', { password: `Zoho-enczapikey ${key}` }).send(
      fullEnvelope(emulator.provider('zeptomail')),
    );
    expect(result.ok).toBe(true);
  });
});

describe('vendor errors become categories', () => {
  const everywhere = (reason: FailureReason, category: FailureCategory, fallback: boolean) =>
    API_VENDORS.map((vendor) => [vendor, reason, category, fallback] as const);
  const quota: Record<ApiVendor, FailureCategory> = {
    zeptomail: 'RATE_LIMITED',
    sendgrid: 'RATE_LIMITED',
    mailgun: 'RATE_LIMITED',
    postmark: 'RELAY_DENIED',
    resend: 'RATE_LIMITED',
    brevo: 'RATE_LIMITED',
    sparkpost: 'RATE_LIMITED',
  };

  it.each([
    ...everywhere('auth', 'AUTH', true),
    ...everywhere('sender_not_verified', 'RELAY_DENIED', true),
    ...everywhere('validation', 'MESSAGE_REJECTED', false),
    ...everywhere('unavailable', 'PROVIDER_UNAVAILABLE', true),
    ...API_VENDORS.map((vendor) => [vendor, 'quota', quota[vendor], true] as const),
    ['postmark', 'inactive_recipient', 'RECIPIENT_REJECTED', false] as const,
  ])('%s %s -> %s (fallback %s)', async (vendor, reason, category, fallback) => {
    emulator.failNext(vendor, { reason });
    const failure = failureOf(await transportFor(vendor).send(fullEnvelope(emulator.provider(vendor))));
    expect(failure).toMatchObject({ category, fallback, httpStatus: expect.any(Number) });
    expect(failure.message).not.toBe('');
    expect(failure.hint.en).not.toBe('');
    expect(failure.hint.tr).not.toBe('');
  });

  it.each(vendors)('%s: a 429 is RATE_LIMITED with the wait the vendor asked for', async (vendor) => {
    emulator.failNext(vendor, { reason: 'rate_limit', retryAfterSeconds: 7 });
    const failure = failureOf(await transportFor(vendor).send(fullEnvelope(emulator.provider(vendor))));
    expect(failure).toMatchObject({ category: 'RATE_LIMITED', fallback: true, countsAgainstHealth: false });
    // SendGrid gives the reset as a whole epoch second, so up to a second either way is rounding.
    expect(failure.retryAfterMs).toBeGreaterThanOrEqual(6_000);
    expect(failure.retryAfterMs).toBeLessThanOrEqual(8_000);
  });

  it.each(vendors)('%s: a status-only script (503) is PROVIDER_UNAVAILABLE', async (vendor) => {
    emulator.failNext(vendor, { status: 503 });
    const failure = failureOf(await transportFor(vendor).send(fullEnvelope(emulator.provider(vendor))));
    expect(failure).toMatchObject({ category: 'PROVIDER_UNAVAILABLE', httpStatus: 503 });
  });

  it.each([
    ['zeptomail', 'SM_111'],
    ['postmark', '400'],
    ['resend', 'validation_error'],
    ['brevo', 'invalid_parameter'],
    ['sparkpost', '7001'],
  ] as const)('%s keeps its own error code (%s) on the failure', async (vendor, code) => {
    emulator.failNext(vendor, { reason: 'sender_not_verified' });
    const failure = failureOf(await transportFor(vendor).send(fullEnvelope(emulator.provider(vendor))));
    expect(failure.vendorCode).toBe(code);
  });

  it.each(vendors)('%s: a wrong API key is AUTH and opens the circuit at once', async (vendor) => {
    const failure = failureOf(
      await transportFor(vendor, { password: `wrong-${randomBytes(6).toString('hex')}` }).send(
        fullEnvelope(emulator.provider(vendor)),
      ),
    );
    expect(failure).toMatchObject({ category: 'AUTH', fallback: true, countsAgainstHealth: true });
  });

  it.each(vendors)(
    '%s: its own validation refuses a message without a body (MESSAGE_REJECTED, no fallback)',
    async (vendor) => {
      const { text: _text, html: _html, ...envelope } = fullEnvelope(emulator.provider(vendor));
      const failure = failureOf(await transportFor(vendor).send(envelope));
      expect(failure).toMatchObject({ category: 'MESSAGE_REJECTED', fallback: false });
    },
  );

  it.each(vendors)(
    '%s: a From domain not verified there is RELAY_DENIED, so the next provider is tried',
    async (vendor) => {
      const provider = emulator.provider(vendor, { fromEmail: 'news@unverified.test' });
      const failure = failureOf(
        await transportFor(vendor, { fromEmail: provider.fromEmail }).send(fullEnvelope(provider)),
      );
      expect(failure).toMatchObject({ category: 'RELAY_DENIED', fallback: true, countsAgainstHealth: true });
    },
  );
});

describe('time budgets and lost answers', () => {
  it.each(vendors)(
    '%s: no answer after the request was sent is AMBIGUOUS within socketMs',
    async (vendor) => {
      emulator.hangNext(vendor);
      const started = Date.now();
      const failure = failureOf(
        await transportFor(vendor, {}, { connectMs: 300, greetingMs: 300, socketMs: 400 }).send(
          fullEnvelope(emulator.provider(vendor)),
        ),
      );
      const elapsed = Date.now() - started;
      expect(failure).toMatchObject({ category: 'AMBIGUOUS', possibleDuplicate: true, fallback: true });
      expect(elapsed).toBeGreaterThanOrEqual(350);
      expect(elapsed).toBeLessThan(2_000);
    },
  );

  it.each(vendors)('%s: a connection dropped after the request was read is AMBIGUOUS', async (vendor) => {
    emulator.dropNext(vendor);
    const failure = failureOf(await transportFor(vendor).send(fullEnvelope(emulator.provider(vendor))));
    expect(failure).toMatchObject({ category: 'AMBIGUOUS', possibleDuplicate: true });
  });

  it('a slow answer within the budget is still a success', async () => {
    emulator.delayNext('postmark', 300);
    const result = await transportFor(
      'postmark',
      {},
      { connectMs: 500, greetingMs: 500, socketMs: 2_000 },
    ).send(fullEnvelope(emulator.provider('postmark')));
    expect(result.ok).toBe(true);
  });

  describe('toward a server that accepts TCP and never speaks TLS', () => {
    let tarpit: Server;
    let port = 0;
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      tarpit = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
      });
      await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
      const address = tarpit.address();
      port = typeof address === 'object' && address ? address.port : 0;
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => tarpit.close(() => resolve()));
    });

    it('is a TIMEOUT after connectMs, nothing sent, so no possible duplicate', async () => {
      const transport = transportFor(
        'sendgrid',
        { port, encryption: 'ssl_tls' },
        { connectMs: 250, greetingMs: 250, socketMs: 3_000 },
      );
      const started = Date.now();
      const failure = failureOf(await transport.send(fullEnvelope(emulator.provider('sendgrid'))));
      const elapsed = Date.now() - started;
      expect(failure).toMatchObject({ category: 'TIMEOUT', fallback: true, countsAgainstHealth: true });
      expect(failure.possibleDuplicate).not.toBe(true);
      expect(elapsed).toBeGreaterThanOrEqual(200);
      expect(elapsed).toBeLessThan(1_500);
    });
  });

  it('a closed port is CONNECTION', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const failure = failureOf(
      await transportFor('resend', { port }).send(fullEnvelope(emulator.provider('resend'))),
    );
    expect(failure).toMatchObject({ category: 'CONNECTION', fallback: true });
    expect(failure.message).toMatch(/ECONNREFUSED/);
    expect(failure.possibleDuplicate).not.toBe(true);
  });

  it("rejects with the caller's reason when the caller aborts, and does not wait for the budget", async () => {
    emulator.hangNext('mailgun');
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 100);
    const started = Date.now();
    await expect(
      transportFor('mailgun').send(fullEnvelope(emulator.provider('mailgun')), { signal: controller.signal }),
    ).rejects.toBe(reason);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('rejects at once when the signal is already aborted, and sends nothing', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    await expect(
      transportFor('brevo').send(fullEnvelope(emulator.provider('brevo')), { signal: controller.signal }),
    ).rejects.toThrow('too late');
    expect(emulator.requests('brevo')).toHaveLength(0);
  });
});

describe('verify', () => {
  it.each(vendors)('%s: a good key passes and no message is sent', async (vendor) => {
    const outcome = await transportFor(vendor).verify();
    expect(outcome.ok).toBe(true);
    const sends = emulator.requests(vendor, 'send');
    // ZeptoMail's dry run goes to the send endpoint without a single recipient.
    for (const request of sends) expect(seenMessage(request).to).toEqual([]);
    if (vendor === 'zeptomail')
      expect(outcome.warnings.join(' ')).toMatch(/no call that only checks a token/);
    else expect(sends).toHaveLength(0);
  });

  it.each(vendors)('%s: a wrong key fails as AUTH', async (vendor) => {
    const outcome = await transportFor(vendor, {
      password: `wrong-${randomBytes(6).toString('hex')}`,
    }).verify();
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.failure.category).toBe('AUTH');
  });

  it.each([['zeptomail'], ['mailgun'], ['resend']] as const)(
    '%s: a From domain unknown to the account fails as RELAY_DENIED',
    async (vendor) => {
      const outcome = await transportFor(vendor, { fromEmail: 'news@unverified.test' }).verify();
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) expect(outcome.failure.category).toBe('RELAY_DENIED');
    },
  );

  it.each([
    ['resend', /sending-only API key/],
    ['sparkpost', /may not read account details/],
  ] as const)(
    '%s: a send-only key passes with a warning that only its validity was checked',
    async (vendor, warning) => {
      emulator.setKeyAccess(vendor, 'send_only');
      const outcome = await transportFor(vendor).verify();
      expect(outcome).toMatchObject({ ok: true, warnings: [expect.stringMatching(warning)] });
    },
  );

  it('sendgrid: a key with the mail.send scope only passes', async () => {
    emulator.setKeyAccess('sendgrid', 'send_only');
    expect(await transportFor('sendgrid').verify()).toEqual({ ok: true, warnings: [] });
  });

  it('sendgrid: a valid key without the mail.send scope fails as AUTH, as its sends would', async () => {
    emulator.setKeyAccess('sendgrid', 'no_send');
    const outcome = await transportFor('sendgrid').verify();
    expect(outcome.ok).toBe(false);
    if (!outcome.ok)
      expect(outcome.failure).toMatchObject({
        category: 'AUTH',
        httpStatus: 403,
        vendorCode: 'missing_scope',
      });
    const failure = failureOf(
      await transportFor('sendgrid').send(fullEnvelope(emulator.provider('sendgrid'))),
    );
    expect(failure).toMatchObject({ category: 'AUTH', httpStatus: 403 });
  });

  it('a verification that gets no answer is a TIMEOUT, never a possible duplicate', async () => {
    emulator.hangNext('postmark');
    const outcome = await transportFor(
      'postmark',
      {},
      { connectMs: 300, greetingMs: 300, socketMs: 400 },
    ).verify();
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(outcome.failure.category).toBe('TIMEOUT');
      expect(outcome.failure.possibleDuplicate).not.toBe(true);
    }
  });

  it('warns about settings an HTTP API cannot honour', async () => {
    const outcome = await transportFor('brevo', { tls: { rejectUnauthorized: false } }).verify();
    expect(outcome).toMatchObject({
      ok: true,
      warnings: [expect.stringMatching(/rejectUnauthorized=false is ignored/)],
    });
  });
});

describe('configuration', () => {
  it('refuses plain HTTP toward a host that is not loopback', () => {
    expect(() =>
      createHttpTransport(emulator.provider('sendgrid', { host: 'api.sendgrid.com', port: 80 }), {
        timeouts: TIMEOUTS,
        logger: capturingLogger([]),
      }),
    ).toThrow(HttpTransportConfigError);
  });

  it('refuses a provider without a vendor', () => {
    expect(() =>
      createHttpTransport(emulator.provider('sendgrid', { apiVendor: null }), {
        timeouts: TIMEOUTS,
        logger: capturingLogger([]),
      }),
    ).toThrow(/no API vendor/);
  });
});

describe('the API key stays secret', () => {
  const scripts: ScriptedFailure[] = [{ reason: 'auth' }, { reason: 'rate_limit', retryAfterSeconds: 1 }];

  it.each(vendors)(
    '%s: the key is in no result, failure or log line, even when the vendor echoes it',
    async (vendor) => {
      const key = emulator.apiKey(vendor);
      const base64Key = Buffer.from(key).toString('base64');
      const basicForm = Buffer.from(`api:${key}`).toString('base64');
      const results: unknown[] = [];
      const envelope = fullEnvelope(emulator.provider(vendor));
      results.push(await transportFor(vendor).send(envelope));
      results.push(await transportFor(vendor).verify());
      for (const script of scripts) {
        emulator.failNext(vendor, script);
        results.push(await transportFor(vendor).send(envelope));
      }
      emulator.failNext(vendor, { reason: 'validation', message: `key ${key} is not allowed to send this` });
      const echoed = failureOf(await transportFor(vendor).send(envelope));
      results.push(echoed);
      expect(echoed.message).toContain('[redacted]');

      const everything = JSON.stringify({ results, logLines });
      expect(everything).not.toContain(key);
      expect(everything).not.toContain(base64Key);
      expect(everything).not.toContain(basicForm);
    },
  );
});

describe('the emulator checks keys like the vendors', () => {
  const sendPaths: Record<ApiVendor, string> = {
    zeptomail: '/v1.1/email',
    sendgrid: '/v3/mail/send',
    mailgun: '/v3/example.com/messages',
    postmark: '/email',
    resend: '/emails',
    brevo: '/v3/smtp/email',
    sparkpost: '/api/v1/transmissions',
  };

  it.each(vendors)('%s: a request without any key is refused as unauthenticated', async (vendor) => {
    const response = await fetch(emulator.baseUrl + sendPaths[vendor], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(401);
    expect(emulator.requests(vendor, 'send')).toHaveLength(1);
  });
});

describe('over HTTPS', () => {
  let certificate: TestCertificate;
  let secure: VendorEmulator;

  beforeAll(async () => {
    certificate = await createTestCertificate();
    secure = await startVendorEmulator({ tls: certificate });
  });

  afterAll(async () => {
    await secure.close();
  });

  it('an untrusted certificate is a TLS failure before anything is sent, and verify explains the CA limit', async () => {
    const provider = secure.provider('postmark', { tls: { ca: certificate.cert } });
    const transport = createHttpTransport(provider, { timeouts: TIMEOUTS, logger: capturingLogger([]) });
    opened.push(transport);
    const failure = failureOf(await transport.send(fullEnvelope(provider)));
    expect(failure).toMatchObject({ category: 'TLS', fallback: true });
    expect(failure.possibleDuplicate).not.toBe(true);
    expect(secure.requests()).toHaveLength(0);
    const outcome = await transport.verify();
    expect(outcome).toMatchObject({ ok: false, warnings: [expect.stringMatching(/NODE_EXTRA_CA_CERTS/)] });
  });

  it('sends over HTTPS when the CA is trusted process-wide through NODE_EXTRA_CA_CERTS', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'http-transport-'));
    try {
      const caFile = join(dir, 'ca.pem');
      const script = join(dir, 'send.ts');
      await writeFile(caFile, certificate.cert);
      await writeFile(
        script,
        [
          `import { createHttpTransport } from ${JSON.stringify(join(__dirname, '../src/transports/http'))};`,
          `import { silentLogger } from ${JSON.stringify(join(__dirname, '../src/logger'))};`,
          'const provider = JSON.parse(process.env.PROVIDER ?? "{}");',
          'const envelope = JSON.parse(process.env.ENVELOPE ?? "{}");',
          'const timeouts = { connectMs: 2000, greetingMs: 2000, socketMs: 5000 };',
          'createHttpTransport(provider, { timeouts, logger: silentLogger })',
          '  .send({ ...envelope, attachments: [] })',
          '  .then((result) => process.stdout.write(JSON.stringify(result)));',
        ].join('\n'),
      );
      const provider = secure.provider('resend');
      const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script], {
        cwd: join(__dirname, '..'),
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: caFile,
          PROVIDER: JSON.stringify(provider),
          ENVELOPE: JSON.stringify(fullEnvelope(provider)),
        },
      });
      expect(JSON.parse(stdout)).toMatchObject({ ok: true, providerMessageId: expect.any(String) });
      expect(secure.requests('resend', 'send')).toHaveLength(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
