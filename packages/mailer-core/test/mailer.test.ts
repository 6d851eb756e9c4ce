import { randomBytes } from 'node:crypto';
import { InMemoryHealthStore } from '../src/health/in-memory-health-store';
import type { Logger } from '../src/logger';
import { createMailer, type MailerOptions, type TransportFactory } from '../src/mailer';
import type { Message } from '../src/message';
import { MessageValidationError } from '../src/prepare-message';
import type { ProviderConfig } from '../src/provider';
import { ProviderConfigError } from '../src/provider-validation';
import type { Attempt, FailureCategory } from '../src/result';
import { failureOf } from './support/failures';
import { ScriptedProvider, ScriptedTransport } from './support/scripted-transport';

function secret(): string {
  return 'test-' + randomBytes(8).toString('hex');
}

let counter = 0;
function provider(overrides: Partial<ProviderConfig> = {}): ProviderConfig {
  counter++;
  return {
    id: `p${counter}`,
    type: 'smtp',
    name: `provider ${counter}`,
    host: `smtp${counter}.example.com`,
    port: 587,
    username: `user${counter}`,
    password: secret(),
    encryption: 'starttls',
    fromEmail: `noreply@sender${counter}.example.com`,
    fromName: `Sender ${counter}`,
    serviceType: 'primary',
    status: 'active',
    priority: counter,
    ...overrides,
  };
}

const message: Message = {
  to: ['Ann <ann@example.org>', 'bob@example.org'],
  subject: 'Invoice',
  text: 'See attached.',
  html: '<p>See <img src="cid:logo@x"></p>',
  attachments: [
    { filename: 'invoice.pdf', content: randomBytes(2048) },
    { filename: 'logo.png', content: randomBytes(512), cid: 'logo@x' },
  ],
};

class FakeClock {
  time = Date.UTC(2025, 0, 1);
  now = (): number => this.time;
  advance(ms: number): void {
    this.time += ms;
  }
}

interface CapturedLine {
  level: string;
  obj: object;
  msg?: string;
}

function capturingLogger(lines: CapturedLine[]): Logger {
  const write = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** An engine over scripted providers, with a hand-moved clock and a capturing logger. */
function setup(configs: ProviderConfig[], extra: Partial<MailerOptions> = {}) {
  const scripted = new Map(configs.map((config) => [config.id, new ScriptedProvider(config)]));
  const clock = new FakeClock();
  const lines: CapturedLine[] = [];
  const hooked: Attempt[] = [];
  const store = new InMemoryHealthStore();
  const createTransport: TransportFactory = (config, { logger }) => {
    const target = scripted.get(config.id);
    if (!target) throw new Error(`no scripted provider ${config.id}`);
    const transport = new ScriptedTransport(target, logger);
    target.transports.push(transport);
    return transport;
  };
  const mailer = createMailer({
    providers: configs,
    clock,
    logger: capturingLogger(lines),
    healthStore: store,
    createTransport,
    onAttempt: (attempt) => {
      hooked.push(attempt);
    },
    ...extra,
  });
  const get = (config: ProviderConfig): ScriptedProvider => {
    const found = scripted.get(config.id);
    if (!found) throw new Error('unknown provider');
    return found;
  };
  return { mailer, clock, lines, hooked, store, get, scripted };
}

function outcomes(attempts: Attempt[]): string[] {
  return attempts.map((a) => `${a.providerId}:${a.outcome}${a.skippedReason ? `(${a.skippedReason})` : ''}`);
}

describe('createMailer send', () => {
  it('delivers through the primary and says so', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get } = setup([fallback, primary]);
    get(primary).plays({ ok: true, providerMessageId: 'q-1' });
    const result = await mailer.send(message);
    expect(result).toMatchObject({ ok: true, deliveredBy: primary.id, rejectedRecipients: [] });
    expect(result.messageId).toMatch(
      new RegExp(`^<[0-9a-f-]+@sender${primary.id.slice(1)}\\.example\\.com>$`),
    );
    expect(outcomes(result.attempts)).toEqual([`${primary.id}:SENT`]);
    expect(result.attempts[0]?.providerMessageId).toBe('q-1');
    expect(get(fallback).received).toHaveLength(0);
  });

  it('falls back with the same Message-ID and bytes, From set per provider', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get } = setup([primary, fallback]);
    get(primary).plays({ fail: failureOf('CONNECTION') });
    const result = await mailer.send(message);
    expect(result.ok).toBe(true);
    expect(result.deliveredBy).toBe(fallback.id);
    const [first] = get(primary).received;
    const [second] = get(fallback).received;
    expect(first?.messageId).toBe(result.messageId);
    expect(second?.messageId).toBe(result.messageId);
    expect(second?.attachments).toEqual(first?.attachments);
    expect(first?.from).toEqual({ address: primary.fromEmail, name: primary.fromName });
    expect(second?.from).toEqual({ address: fallback.fromEmail, name: fallback.fromName });
  });

  it.each<[FailureCategory, boolean, string]>([
    ['CONNECTION', true, 'CLOSED'],
    ['TIMEOUT', true, 'OPEN'],
    ['TLS', true, 'CLOSED'],
    ['AUTH', true, 'OPEN'],
    ['RELAY_DENIED', true, 'CLOSED'],
    ['RATE_LIMITED', true, 'CLOSED'],
    ['PROVIDER_UNAVAILABLE', true, 'CLOSED'],
    ['RECIPIENT_REJECTED', false, 'CLOSED'],
    ['MESSAGE_REJECTED', false, 'CLOSED'],
    ['AMBIGUOUS', true, 'CLOSED'],
  ])('%s: next provider now = %s, primary circuit afterwards %s', async (category, next, state) => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get } = setup([primary, fallback]);
    get(primary).plays({ fail: failureOf(category) });
    const result = await mailer.send(message);
    expect(result.ok).toBe(next);
    expect(get(fallback).received).toHaveLength(next ? 1 : 0);
    if (!next) expect(result.failure?.category).toBe(category);
    const health = await mailer.health();
    const primaryHealth = health.find((entry) => entry.providerId === primary.id);
    expect(primaryHealth?.state).toBe(state);
    const counts = failureOf(category).countsAgainstHealth;
    expect(primaryHealth?.consecutiveFailures).toBe(counts ? 1 : 0);
  });

  it('skips an open circuit, recording the skip, until its window ends; then one probe closes it', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get, clock } = setup([primary, fallback]);
    get(primary).plays({ fail: failureOf('AUTH') }, { ok: true });

    await mailer.send(message);
    const second = await mailer.send(message);
    expect(outcomes(second.attempts)).toEqual([`${primary.id}:SKIPPED(circuit_open)`, `${fallback.id}:SENT`]);
    expect(get(primary).received).toHaveLength(1);

    clock.advance(30_000);
    expect((await mailer.health()).find((h) => h.providerId === primary.id)?.state).toBe('HALF_OPEN');
    const third = await mailer.send(message);
    expect(outcomes(third.attempts)).toEqual([`${primary.id}:SENT`]);
    expect((await mailer.health()).find((h) => h.providerId === primary.id)?.state).toBe('CLOSED');
  });

  it('lets a single half-open probe through when sends overlap', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get, clock } = setup([primary, fallback]);
    get(primary).plays({ fail: failureOf('AUTH') }, { hang: true });
    await mailer.send(message);
    clock.advance(30_000);

    const controller = new AbortController();
    const probe = mailer.send(message, { signal: controller.signal });
    await new Promise((resolve) => setImmediate(resolve));
    const during = await mailer.send(message);
    expect(outcomes(during.attempts)).toEqual([`${primary.id}:SKIPPED(circuit_open)`, `${fallback.id}:SENT`]);
    controller.abort(new Error('stop probe'));
    await expect(probe).rejects.toThrow('stop probe');
    // The aborted probe gave the slot back: the next send probes again.
    get(primary).plays({ ok: true });
    const after = await mailer.send(message);
    expect(outcomes(after.attempts)).toEqual([`${primary.id}:SENT`]);
  });

  it('cools a rate-limited provider down for Retry-After, then uses it again', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get, clock } = setup([primary, fallback]);
    get(primary).plays({ fail: failureOf('RATE_LIMITED', { retryAfterMs: 5_000 }) }, { ok: true });
    const first = await mailer.send(message);
    expect(outcomes(first.attempts)).toEqual([`${primary.id}:FAILED`, `${fallback.id}:SENT`]);
    const cooling = await mailer.send(message);
    expect(outcomes(cooling.attempts)).toEqual([
      `${primary.id}:SKIPPED(cooling_down)`,
      `${fallback.id}:SENT`,
    ]);
    clock.advance(5_000);
    const later = await mailer.send(message);
    expect(outcomes(later.attempts)).toEqual([`${primary.id}:SENT`]);
  });

  it('never locks itself out: when every circuit is open it probes the one whose window ends soonest', async () => {
    const a = provider();
    const b = provider({ serviceType: 'fallback' });
    const { mailer, get, clock } = setup([a, b]);
    get(a).plays({ fail: failureOf('AUTH') }, { ok: true });
    get(b).plays({ fail: failureOf('TIMEOUT') }, { ok: true });
    // b's window opens first, so it ends first, although b comes second in the chain.
    await mailer.sendVia(b.id, message);
    clock.advance(5_000);
    const outage = await mailer.send(message);
    expect(outage).toMatchObject({ ok: false, failure: { category: 'AUTH' } });
    expect(outcomes(outage.attempts)).toEqual([`${a.id}:FAILED`, `${b.id}:SKIPPED(circuit_open)`]);

    clock.advance(1_000);
    const next = await mailer.send(message);
    expect(next.ok).toBe(true);
    expect(next.deliveredBy).toBe(b.id);
    expect(outcomes(next.attempts)).toEqual([
      `${a.id}:SKIPPED(circuit_open)`,
      `${b.id}:SKIPPED(circuit_open)`,
      `${b.id}:SENT`,
    ]);
    expect((await mailer.health()).find((h) => h.providerId === b.id)?.state).toBe('CLOSED');
  });

  it('a failed lockout probe reopens that circuit for twice as long', async () => {
    const only = provider();
    const { mailer, get, clock } = setup([only]);
    get(only).plays({ fail: failureOf('AUTH') });
    await mailer.send(message);
    clock.advance(10);
    const result = await mailer.send(message);
    expect(outcomes(result.attempts)).toEqual([`${only.id}:SKIPPED(circuit_open)`, `${only.id}:FAILED`]);
    const health = (await mailer.health())[0];
    expect(health?.openUntil?.getTime()).toBe(clock.now() + 60_000);
  });

  it('records recipients refused while the others got the message', async () => {
    const only = provider();
    const { mailer, get } = setup([only]);
    get(only).plays({
      ok: true,
      rejected: [
        { address: 'bob@example.org', smtpCode: 550, enhancedCode: '5.1.1', message: 'User unknown' },
      ],
    });
    const result = await mailer.send(message);
    expect(result.ok).toBe(true);
    expect(result.rejectedRecipients).toEqual([
      { address: 'bob@example.org', smtpCode: 550, enhancedCode: '5.1.1', message: 'User unknown' },
    ]);
  });

  it('routes CRM mail to CRM providers first, then the DEFAULT chain', async () => {
    const crm = provider({ type: 'crm_api_smtp' });
    const main = provider();
    const inactive = provider({ status: 'inactive', priority: 1 });
    const { mailer, get } = setup([main, crm, inactive]);
    get(crm).plays({ fail: failureOf('PROVIDER_UNAVAILABLE') });
    const result = await mailer.send(message, { channel: 'CRM' });
    expect(outcomes(result.attempts)).toEqual([`${crm.id}:FAILED`, `${main.id}:SENT`]);
    expect(get(inactive).received).toHaveLength(0);
    expect((await mailer.chain('CRM')).map((p) => p.id)).toEqual([crm.id, main.id]);
    expect((await mailer.chain()).map((p) => p.id)).toEqual([main.id]);
  });

  it('returns a CONFIG failure when no provider serves the channel', async () => {
    const { mailer } = setup([provider({ status: 'inactive' })]);
    const result = await mailer.send(message);
    expect(result).toMatchObject({
      ok: false,
      attempts: [],
      failure: { category: 'CONFIG', retryable: true },
    });
  });

  it('leaves excluded providers out of the chain, and says so when none is left', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get } = setup([primary, fallback]);
    const result = await mailer.send(message, { exclude: [primary.id] });
    expect(outcomes(result.attempts)).toEqual([`${fallback.id}:SENT`]);
    expect(get(primary).received).toHaveLength(0);

    const none = await mailer.send(message, { exclude: [primary.id, fallback.id] });
    expect(none).toMatchObject({ ok: false, attempts: [], failure: { category: 'CONFIG' } });
    expect(none.failure?.message).toBe(
      'No active provider of the DEFAULT channel is left once the excluded ones are left out.',
    );
    expect(get(fallback).received).toHaveLength(1);
  });

  it('turns a transport that throws into an UNKNOWN failure and moves on', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get } = setup([primary, fallback]);
    get(primary).plays({ throws: new Error(`boom with ${primary.password}`) });
    const result = await mailer.send(message);
    expect(result.deliveredBy).toBe(fallback.id);
    expect(result.attempts[0]?.failure?.category).toBe('UNKNOWN');
    expect(JSON.stringify(result)).not.toContain(primary.password);
  });

  it('honours the caller’s AbortSignal before and during an attempt, without blaming the provider', async () => {
    const only = provider();
    const { mailer, get } = setup([only]);
    const aborted = new AbortController();
    aborted.abort(new Error('caller gave up'));
    await expect(mailer.send(message, { signal: aborted.signal })).rejects.toThrow('caller gave up');
    expect(get(only).received).toHaveLength(0);

    get(only).plays({ hang: true });
    const controller = new AbortController();
    const sending = mailer.send(message, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('too slow for me')), 20);
    await expect(sending).rejects.toThrow('too slow for me');
    expect((await mailer.health())[0]).toMatchObject({ state: 'CLOSED', consecutiveFailures: 0 });
  });

  it('calls onAttempt for every attempt, skipped ones included, and survives a failing hook', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get, hooked } = setup([primary, fallback]);
    get(primary).plays({ fail: failureOf('AUTH') });
    await mailer.send(message);
    await mailer.send(message);
    expect(outcomes(hooked)).toEqual([
      `${primary.id}:FAILED`,
      `${fallback.id}:SENT`,
      `${primary.id}:SKIPPED(circuit_open)`,
      `${fallback.id}:SENT`,
    ]);

    const lines: CapturedLine[] = [];
    const broken = setup([provider()], {
      onAttempt: () => Promise.reject(new Error('hook down')),
      logger: capturingLogger(lines),
    });
    expect((await broken.mailer.send(message)).ok).toBe(true);
    expect(lines.some((line) => line.msg === 'onAttempt hook failed')).toBe(true);
  });

  it('throws for a bad message, naming the field', async () => {
    const { mailer } = setup([provider()]);
    await expect(mailer.send({ ...message, subject: '' })).rejects.toBeInstanceOf(MessageValidationError);
  });

  it('throws for bad provider settings, static or from a source', () => {
    expect(() => setup([provider({ port: 0 })])).toThrow(ProviderConfigError);
    const twice = provider();
    expect(() => setup([twice, { ...twice }])).toThrow(/unique id/);
  });

  it('reads an async source on every send, rebuilding a transport whose settings changed', async () => {
    const config = provider();
    let current: ProviderConfig = config;
    const { mailer, get } = setup([config], { providers: async () => [current] });
    await mailer.send(message);
    await mailer.send(message);
    expect(get(config).transports).toHaveLength(1);
    current = { ...config, priority: 7 };
    await mailer.send(message);
    expect(get(config).transports).toHaveLength(1);
    current = { ...config, password: secret() };
    await mailer.send(message);
    expect(get(config).transports).toHaveLength(2);
    expect(get(config).transports[0]?.closed).toBe(true);
    current = { ...config, host: 'smtp .example.com' };
    await expect(mailer.send(message)).rejects.toThrow(ProviderConfigError);
  });

  it('close() closes every transport and later sends refuse', async () => {
    const a = provider();
    const b = provider({ serviceType: 'fallback' });
    const { mailer, get } = setup([a, b]);
    get(a).plays({ fail: failureOf('CONNECTION') });
    await mailer.send(message);
    await mailer.close();
    expect(get(a).transports[0]?.closed).toBe(true);
    expect(get(b).transports[0]?.closed).toBe(true);
    await expect(mailer.send(message)).rejects.toThrow(/closed/);
  });

  it('keeps going when the health store fails', async () => {
    const only = provider();
    const store = new InMemoryHealthStore();
    store.get = () => Promise.reject(new Error('database down'));
    store.update = () => Promise.reject(new Error('database down'));
    const { mailer } = setup([only], { healthStore: store });
    expect((await mailer.send(message)).ok).toBe(true);
  });
});

describe('createMailer sendVia', () => {
  it('uses one provider, whatever its status and circuit, without fallback, recording health', async () => {
    const primary = provider();
    const spare = provider({ status: 'inactive' });
    const { mailer, get } = setup([primary, spare]);
    get(spare).plays({ fail: failureOf('AUTH') });
    const failed = await mailer.sendVia(spare.id, message);
    expect(failed).toMatchObject({ ok: false, failure: { category: 'AUTH' } });
    expect(outcomes(failed.attempts)).toEqual([`${spare.id}:FAILED`]);
    expect(get(primary).received).toHaveLength(0);
    expect((await mailer.health()).find((h) => h.providerId === spare.id)?.state).toBe('OPEN');

    get(spare).plays({ ok: true });
    const sent = await mailer.sendVia(spare.id, message);
    expect(sent).toMatchObject({ ok: true, deliveredBy: spare.id });
    expect((await mailer.health()).find((h) => h.providerId === spare.id)?.state).toBe('CLOSED');
    await expect(mailer.sendVia('nope', message)).rejects.toThrow(/No provider/);
  });
});

describe('createMailer verify', () => {
  it('uses a fresh transport, closes it, and adds the settings warnings', async () => {
    const config = provider({ port: 465, encryption: 'starttls' });
    const { mailer, get } = setup([config]);
    get(config).verifyOutcome = { ok: true, warnings: ['server offers no PIPELINING'] };
    const result = await mailer.verify(config);
    expect(result.ok).toBe(true);
    expect(result.checkedAt).toBeInstanceOf(Date);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.warnings).toEqual([
      expect.stringMatching(/SSL\/TLS on 465/),
      'server offers no PIPELINING',
    ]);
    const [transport] = get(config).transports;
    expect(transport?.verifyCalls).toBe(1);
    expect(transport?.closed).toBe(true);
  });

  it('returns the failure with the secret removed', async () => {
    const config = provider();
    const { mailer, get } = setup([config]);
    get(config).verifyOutcome = {
      ok: false,
      failure: failureOf('AUTH', { message: `535 bad credentials for ${config.password}` }),
      warnings: [],
    };
    const result = await mailer.verify(config);
    expect(result.failure?.category).toBe('AUTH');
    expect(JSON.stringify(result)).not.toContain(config.password);
  });

  it('refuses invalid settings before contacting anything', async () => {
    const config = provider();
    const { mailer, get } = setup([config]);
    await expect(mailer.verify({ ...config, password: 'changeme' })).rejects.toMatchObject({
      issues: [{ field: 'password' }],
    });
    expect(get(config).transports).toHaveLength(0);
  });
});

describe('secrets', () => {
  it('no password reaches a log line, a result, the chain or health', async () => {
    const primary = provider();
    const fallback = provider({ serviceType: 'fallback' });
    const { mailer, get, lines } = setup([primary, fallback]);
    get(primary).plays({
      fail: failureOf('AUTH', {
        message: `535 5.7.8 AUTH PLAIN ${Buffer.from(`\0${primary.username}\0${primary.password}`).toString('base64')} refused`,
      }),
    });
    const results = [
      await mailer.send(message),
      await mailer.send(message),
      await mailer.sendVia(fallback.id, message),
    ];
    const everything = JSON.stringify({
      lines,
      results,
      chain: await mailer.chain(),
      health: await mailer.health(),
    });
    expect(lines.length).toBeGreaterThan(5);
    for (const config of [primary, fallback]) {
      expect(everything).not.toContain(config.password);
      expect(everything).not.toContain(Buffer.from(config.password).toString('base64'));
      expect(everything).not.toContain(
        Buffer.from(`\0${config.username}\0${config.password}`).toString('base64'),
      );
    }
    expect(everything).toContain('[redacted]');
  });
});
