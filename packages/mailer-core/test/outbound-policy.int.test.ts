import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { silentLogger } from '../src/logger';
import { createOutboundPolicy, parseAllowList, type OutboundPolicy } from '../src/outbound/outbound-policy';
import type { ApiVendor, Encryption, ProviderConfig } from '../src/provider';
import type { Failure, TransportResult } from '../src/result';
import { startTarpit, startVendorEmulator, type Tarpit, type VendorEmulator } from '../src/test-support';
import { createHttpTransport } from '../src/transports/http';
import { createSmtpTransport } from '../src/transports/smtp/smtp-transport';
import type { Timeouts, Transport, VerifyOutcome } from '../src/transports/transport';
import { smtpProvider, testEnvelope } from './support/smtp-fixtures';

const TIMEOUTS: Timeouts = { connectMs: 1_000, greetingMs: 1_000, socketMs: 3_000 };
/** Loopback left out, as on a server that runs against its own database in production. */
const NO_LOOPBACK: OutboundPolicy = createOutboundPolicy(parseAllowList('10.0.0.0/8'));

const transports: Transport[] = [];
const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function smtpTransport(provider: ProviderConfig, outbound?: OutboundPolicy): Transport {
  const transport = createSmtpTransport(provider, {
    timeouts: TIMEOUTS,
    logger: silentLogger,
    ...(outbound ? { outbound } : {}),
  });
  transports.push(transport);
  return transport;
}

function httpTransport(provider: ProviderConfig, outbound?: OutboundPolicy): Transport {
  const transport = createHttpTransport(provider, {
    timeouts: TIMEOUTS,
    logger: silentLogger,
    ...(outbound ? { outbound } : {}),
  });
  transports.push(transport);
  return transport;
}

function sendFailure(result: TransportResult): Failure {
  if (result.ok) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
  return result.failure;
}

function verifyFailure(outcome: VerifyOutcome): Failure {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome)}`);
  return outcome.failure;
}

async function tarpit(): Promise<Tarpit> {
  const started = await startTarpit();
  cleanups.push(() => started.close());
  return started;
}

/** A TCP server that writes `banner` to every connection, counting them. */
async function bannerServer(banner: string): Promise<{ port: number; accepted: () => number }> {
  let accepted = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('data', () => undefined);
    socket.write(banner);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { port: address.port, accepted: () => accepted };
}

/** An HTTP server answering every request with `status` and an HTML page that shows `secret`. */
async function pageServer(status: number, secret: string): Promise<number> {
  const server: HttpServer = createHttpServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'text/html' });
    response.end(`<html><body><h1>Internal dashboard</h1><p>token=${secret}</p></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

function expectRefused(failure: Failure): void {
  expect(failure).toMatchObject({ category: 'CONFIG', fallback: true });
  expect(failure.message).toContain('ALLOWED_PROVIDER_HOSTS');
  expect(failure.hint.en).toContain('ALLOWED_PROVIDER_HOSTS');
  expect(failure.hint.tr).toContain('ALLOWED_PROVIDER_HOSTS');
}

describe('SMTP toward an address the policy refuses', () => {
  it.each([
    ['127.0.0.1', 'none'],
    ['localhost', 'none'],
    ['127.0.0.1', 'starttls'],
    ['localhost', 'ssl_tls'],
  ] as const)(
    '%s (%s): send and verify are refused at the connect stage and no connection is made',
    async (host, encryption: Encryption) => {
      const target = await tarpit();
      const provider = smtpProvider({ host, port: target.port }, { encryption });

      const sent = sendFailure(await smtpTransport(provider, NO_LOOPBACK).send(testEnvelope()));
      const verified = verifyFailure(await smtpTransport(provider, NO_LOOPBACK).verify());

      for (const failure of [sent, verified]) {
        expectRefused(failure);
        expect(failure.stage).toBe('connect');
        expect(failure.message).toMatch(/loopback address/);
      }
      expect(verified.hint).toEqual(sent.hint);
      expect(target.connectionCount).toBe(0);
    },
  );

  it('keeps failing at once, message after message: refused connections hold no session slot', async () => {
    const target = await tarpit();
    const transport = smtpTransport(smtpProvider(target), NO_LOOPBACK);
    // More than the pool's 5 sessions: a slot kept by each refusal would leave the later sends waiting.
    for (let round = 0; round < 8; round += 1) {
      const started = performance.now();
      const result = await Promise.race([
        transport.send(testEnvelope()),
        new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), 2_000)),
      ]);
      if (result === 'waiting') throw new Error(`send ${round + 1} was still waiting after 2 s`);
      expectRefused(sendFailure(result));
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    expect(target.connectionCount).toBe(0);
  });

  it('connects when the list names the host', async () => {
    const target = await tarpit();
    const listed = createOutboundPolicy(parseAllowList('10.0.0.0/8,localhost'));
    const outcome = await smtpTransport(
      smtpProvider({ host: 'localhost', port: target.port }),
      listed,
    ).verify();
    // The tarpit never greets: reaching it is what this shows.
    expect(verifyFailure(outcome)).toMatchObject({ category: 'TIMEOUT', stage: 'greeting' });
    expect(target.connectionCount).toBe(1);
  });
});

describe('HTTP APIs toward an address the policy refuses', () => {
  let emulator: VendorEmulator;

  beforeAll(async () => {
    emulator = await startVendorEmulator();
  });

  afterAll(async () => {
    await emulator.close();
  });

  it.each([
    ['sendgrid', '127.0.0.1'],
    ['mailgun', 'localhost'],
    ['postmark', '127.0.0.1'],
    ['resend', 'localhost'],
    ['brevo', '127.0.0.1'],
    ['sparkpost', 'localhost'],
    ['zeptomail', '127.0.0.1'],
  ] as const)(
    '%s at %s: send and verify are refused and no connection is made',
    async (vendor: ApiVendor, host) => {
      const target = await tarpit();
      const provider = emulator.provider(vendor, { host, port: target.port });

      const sent = sendFailure(
        await httpTransport(provider, NO_LOOPBACK).send(
          testEnvelope({ from: { address: provider.fromEmail } }),
        ),
      );
      const verified = verifyFailure(await httpTransport(provider, NO_LOOPBACK).verify());

      for (const failure of [sent, verified]) {
        expectRefused(failure);
        expect(failure.stage).toBe('http_request');
        expect(failure.possibleDuplicate).not.toBe(true);
      }
      expect(target.connectionCount).toBe(0);
    },
  );

  it('reaches the vendor when the policy allows loopback', async () => {
    const provider = emulator.provider('postmark', { host: 'localhost' });
    const listed = createOutboundPolicy(parseAllowList('127.0.0.0/8,::1'));
    expect(await httpTransport(provider, listed).verify()).toEqual({ ok: true, warnings: [] });
  });
});

describe('a peer that is not the provider is never quoted', () => {
  const SSH_BANNER = 'SSH-2.0-OpenSSH_9.6 Ubuntu-3ubuntu13.5';

  it('SMTP: an SSH server is reported as no SMTP server, without its banner', async () => {
    const ssh = await bannerServer(`${SSH_BANNER}\r\n`);
    const provider = smtpProvider({ host: '127.0.0.1', port: ssh.port });

    const sent = sendFailure(await smtpTransport(provider).send(testEnvelope()));
    const verified = verifyFailure(await smtpTransport(provider).verify());

    for (const failure of [sent, verified]) {
      expect(failure).toMatchObject({
        category: 'CONFIG',
        stage: 'greeting',
        message: 'The server did not answer as an SMTP server.',
      });
      expect(failure.hint.en).toMatch(/does not speak SMTP/);
      expect(JSON.stringify(failure)).not.toMatch(/SSH|OpenSSH|Ubuntu/);
    }
    expect(ssh.accepted()).toBe(2);
  });

  it('HTTP: an SSH server on the API port is reported as no HTTP server, without its banner', async () => {
    const ssh = await bannerServer(`${SSH_BANNER}\r\n`);
    const provider: ProviderConfig = {
      ...smtpProvider({ host: '127.0.0.1', port: ssh.port }),
      type: 'api_smtp',
      apiVendor: 'sendgrid',
      password: `SG.${randomBytes(8).toString('hex')}`,
    };
    const verified = verifyFailure(await httpTransport(provider).verify());
    expect(verified.message).toMatch(/^The server did not answer as an HTTP server \(HPE_/);
    expect(JSON.stringify(verified)).not.toMatch(/SSH|OpenSSH|Ubuntu/);
  });

  it.each([
    [200, 'CONFIG', /not as this vendor’s API/],
    [500, 'PROVIDER_UNAVAILABLE', /server-side error/],
    [401, 'AUTH', /API key/],
  ] as const)(
    'HTTP: a web page answered with %d is %s, said to be no SendGrid answer, and its secret stays out',
    async (status, category, hint) => {
      const secret = `sk_live_${randomBytes(12).toString('hex')}`;
      const port = await pageServer(status, secret);
      const provider: ProviderConfig = {
        ...smtpProvider({ host: '127.0.0.1', port }),
        type: 'api_smtp',
        apiVendor: 'sendgrid',
        password: `SG.${randomBytes(8).toString('hex')}`,
      };
      const transport = httpTransport(provider);

      const verified = verifyFailure(await transport.verify());
      const sent = await transport.send(testEnvelope());

      expect(verified).toMatchObject({ category, httpStatus: status });
      expect(verified.message).toBe(`Answered HTTP ${status} with a body that is not SendGrid's API.`);
      expect(verified.hint.en).toMatch(hint);
      if (status !== 200) expect(sendFailure(sent).message).toBe(verified.message);
      const everything = JSON.stringify({ verified, sent });
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain('dashboard');
    },
  );
});
