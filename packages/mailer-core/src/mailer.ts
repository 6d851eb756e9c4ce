import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { buildChain } from './chain';
import { CATEGORY_POLICY } from './classify';
import {
  availabilityOf,
  describeHealth,
  holdsProbe,
  recordFailure,
  recordSuccess,
  releaseProbe,
  resolveBreakerSettings,
  takeProbe,
  type BreakerSettings,
  type ProviderHealth,
} from './health/circuit-breaker';
import { initialHealthRecord, type HealthRecord } from './health/health-record';
import type { HealthStore } from './health/health-store';
import { InMemoryHealthStore } from './health/in-memory-health-store';
import { buildHint } from './hints';
import { silentLogger, type Logger } from './logger';
import type { Message, PreparedMessage } from './message';
import type { OAuth2TokenSource } from './oauth2';
import { messageIdDomainFor, prepareMessage, toEnvelope } from './prepare-message';
import { authMethodOf, type Channel, type ProviderConfig, type TlsOptions } from './provider';
import { ProviderConfigError, configWarnings, validateProviderConfig } from './provider-validation';
import { redact } from './redact';
import { redactingLogger } from './redacting-logger';
import type { Attempt, Failure, SendResult, TransportResult, VerifyResult } from './result';
import { defaultTransportFactory } from './transport-factory';
import { DEFAULT_TIMEOUTS, type Timeouts, type Transport } from './transports/transport';

/** Where the engine reads the time for health decisions; tests inject their own. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** The current providers, read afresh on every send (a database query, a config file …). */
export type ProviderSource = () => Promise<readonly ProviderConfig[]> | readonly ProviderConfig[];

/** What a transport factory is given besides the provider. */
export interface TransportFactoryOptions {
  timeouts: Timeouts;
  /** Already redacting: nothing a transport logs can carry a secret. */
  logger: Logger;
  /** Access tokens for providers that sign in with OAuth2 (see {@link MailerOptions.oauth2}). */
  oauth2?: OAuth2TokenSource;
}

/** Builds the transport for one provider; the default picks SMTP or the vendor's HTTP API. */
export type TransportFactory = (provider: ProviderConfig, options: TransportFactoryOptions) => Transport;

/** Tells an `onAttempt` hook which send an attempt belongs to. */
export interface AttemptContext {
  messageId: string;
  /** The channel of a chain send; absent for {@link Mailer.sendVia}. */
  channel?: Channel;
}

export interface MailerOptions {
  /** A fixed list, or a source read on every send so that changes apply at once. */
  providers: readonly ProviderConfig[] | ProviderSource;
  /** Where circuit-breaker state lives. Default: in this process's memory. */
  healthStore?: HealthStore;
  /** Default: silent. Receives no secret, ever. */
  logger?: Logger;
  /** Per-attempt limits. Default 5 s connect, 5 s greeting, 30 s socket. */
  timeouts?: Partial<Timeouts>;
  /** Circuit-breaker tuning. Default: 3 failures, 30 s doubling up to 10 min. */
  breaker?: Partial<BreakerSettings>;
  /** Called after every attempt, skipped ones included; errors it throws are logged and ignored. */
  onAttempt?: (attempt: Attempt, context: AttemptContext) => void | Promise<void>;
  clock?: Clock;
  /** Replaces the built-in SMTP/HTTP transports, e.g. to add a new kind of provider. */
  createTransport?: TransportFactory;
  /**
   * Access tokens for providers whose `authMethod` is `oauth2`, for sends and verifications alike; handed
   * to every transport the engine builds. Without it such a provider fails with `CONFIG`.
   */
  oauth2?: OAuth2TokenSource;
}

export interface MailerSendOptions {
  /** Default `DEFAULT`. */
  channel?: Channel;
  /** Aborting stops the send: the current attempt is abandoned and `send` rejects with the abort reason. */
  signal?: AbortSignal;
  /**
   * Ids of providers this send must not use, as if they were not in the chain (for a message about a
   * provider's own failure, say). When they leave no provider, the result is the `CONFIG` failure of an
   * empty chain, saying so.
   */
  exclude?: readonly string[];
}

/** A provider as the engine reports it: everything but the secret. */
export type ProviderSummary = Omit<ProviderConfig, 'password'>;

/** The fallback engine. See {@link createMailer}. */
export interface Mailer {
  /**
   * Sends through the channel's chain: open circuits and cooling-down providers are skipped, each failure
   * that another provider could avoid moves on to the next one, recipient and message errors stop. Delivery
   * failures are returned in the result, never thrown.
   *
   * @throws {MessageValidationError} for a message that cannot be sent as given.
   * @throws {ProviderConfigError} for a provider whose settings break the rules.
   * @throws the signal's reason when the caller aborts.
   */
  send(message: Message, options?: MailerSendOptions): Promise<SendResult>;
  /** Sends through one provider (any status, whatever its circuit), without fallback. Health is still recorded. */
  sendVia(providerId: string, message: Message, options?: { signal?: AbortSignal }): Promise<SendResult>;
  /**
   * Connects and authenticates with these settings through a fresh transport, sending nothing.
   *
   * @throws {ProviderConfigError} when the settings break the rules (nothing is contacted).
   */
  verify(provider: ProviderConfig, options?: { signal?: AbortSignal }): Promise<VerifyResult>;
  /** The providers a send on this channel would walk now, in order. */
  chain(channel?: Channel): Promise<ProviderSummary[]>;
  /** Circuit state of every current provider. */
  health(): Promise<ProviderHealth[]>;
  /** Closes every pooled connection. The mailer cannot send afterwards. */
  close(): Promise<void>;
}

interface CachedTransport {
  /** The settings the transport was built with. */
  settings: ProviderConfig;
  transport: Transport;
  inFlight: number;
  retired: boolean;
}

type Accepted = Extract<TransportResult, { ok: true }>;

interface AttemptRun {
  attempt: Attempt;
  result: TransportResult;
}

const NO_PROVIDER_HINT = {
  en: 'No active provider serves this channel — activate a verified provider (a primary, ideally with a fallback).',
  tr: 'Bu kanala hizmet veren etkin bir sağlayıcı yok — doğrulanmış bir sağlayıcıyı etkinleştirin (bir birincil, tercihen bir de yedek).',
};

const EXCLUDED_ALL_HINT = {
  en: 'Every active provider of this channel was excluded from this send — activate another verified provider so that one remains.',
  tr: 'Bu kanalın tüm etkin sağlayıcıları bu gönderimin dışında bırakıldı — geriye bir sağlayıcı kalması için doğrulanmış başka bir sağlayıcıyı etkinleştirin.',
};

/** Fills unset timeouts with the defaults (5 s / 5 s / 30 s). */
export function resolveTimeouts(timeouts: Partial<Timeouts> = {}): Timeouts {
  return {
    connectMs: timeouts.connectMs ?? DEFAULT_TIMEOUTS.connectMs,
    greetingMs: timeouts.greetingMs ?? DEFAULT_TIMEOUTS.greetingMs,
    socketMs: timeouts.socketMs ?? DEFAULT_TIMEOUTS.socketMs,
  };
}

/**
 * Creates the fallback engine.
 *
 * @example
 * ```ts
 * const mailer = createMailer({
 *   providers: [
 *     { id: 'p1', type: 'smtp', name: 'main', host: 'smtp.example.com', port: 587, username: 'app',
 *       password: process.env.SMTP_PASSWORD ?? '', encryption: 'starttls', fromEmail: 'noreply@example.com',
 *       fromName: 'Example', serviceType: 'primary', status: 'active', priority: 1 },
 *   ],
 * });
 * const result = await mailer.send({ to: 'ann@example.org', subject: 'Hi', text: 'Hello' });
 * if (!result.ok) console.error(result.failure?.hint.en);
 * await mailer.close();
 * ```
 */
export function createMailer(options: MailerOptions): Mailer {
  const timeouts = resolveTimeouts(options.timeouts);
  const breaker = resolveBreakerSettings({
    probeLeaseMs: timeouts.connectMs + timeouts.greetingMs + 2 * timeouts.socketMs,
    ...options.breaker,
  });
  const store = options.healthStore ?? new InMemoryHealthStore();
  const clock: Clock = options.clock ?? { now: () => Date.now() };
  const createTransport = options.createTransport ?? defaultTransportFactory;
  /** Each provider's current secret forms: a changed password replaces the old one, so the list stays bounded. */
  const secretsByProvider = new Map<string, readonly string[]>();
  let secretCache: string[] | null = null;
  // Scrubbing costs a pass over every log object; with nobody listening there is nothing to protect.
  const logger = options.logger ? redactingLogger(options.logger, () => secretList()) : silentLogger;
  const transportOptions: TransportFactoryOptions = options.oauth2
    ? { timeouts, logger, oauth2: options.oauth2 }
    : { timeouts, logger };
  const transports = new Map<string, CachedTransport>();
  /** The settings each provider last passed validation with. */
  const validated = new Map<string, ProviderConfig>();
  let lastIdDomain: { fromEmail: string | undefined; domain: string | undefined } | undefined;
  let closed = false;

  const given = options.providers;
  const source: ProviderSource = isProviderList(given) ? () => given : given;
  if (isProviderList(given)) {
    // A fixed list is the caller's code: report its mistakes now rather than at the first send.
    checkProviders(given);
    given.forEach(ensureValid);
  }

  function rememberSecrets(provider: ProviderConfig): void {
    const basic = `${provider.username}:${provider.password}`;
    if (!provider.password || secretsByProvider.get(provider.id)?.includes(basic)) return;
    secretCache = null;
    // AUTH PLAIN and HTTP Basic carry the secret inside a larger base64 string.
    secretsByProvider.set(provider.id, [
      provider.password,
      `\0${provider.username}\0${provider.password}`,
      basic,
      `api:${provider.password}`,
    ]);
  }

  function checkProviders(providers: readonly ProviderConfig[]): void {
    const ids = new Set<string>();
    for (const provider of providers) {
      rememberSecrets(provider);
      if (ids.has(provider.id)) {
        throw new ProviderConfigError(provider.id, [
          { field: 'id', message: 'Two providers share this id; give each provider a unique id.' },
        ]);
      }
      ids.add(provider.id);
    }
  }

  function ensureValid(provider: ProviderConfig): void {
    const known = validated.get(provider.id);
    if (known && sameSettings(known, provider, true)) return;
    rememberSecrets(provider);
    const issues = validateProviderConfig(provider);
    if (issues.length > 0) throw new ProviderConfigError(provider.id, issues);
    validated.set(provider.id, settingsSnapshot(provider));
  }

  /** The domain for generated Message-IDs; sends keep asking for the same From Email. */
  function idDomainFor(fromEmail: string | undefined): string | undefined {
    if (!lastIdDomain || lastIdDomain.fromEmail !== fromEmail) {
      lastIdDomain = { fromEmail, domain: messageIdDomainFor(fromEmail) };
    }
    return lastIdDomain.domain;
  }

  async function loadProviders(): Promise<readonly ProviderConfig[]> {
    const providers = await source();
    if (providers !== given) checkProviders(providers);
    return providers;
  }

  function secretList(): string[] {
    secretCache ??= [...new Set([...secretsByProvider.values()].flat())];
    return secretCache;
  }

  function acquireTransport(provider: ProviderConfig): CachedTransport {
    const cached = transports.get(provider.id);
    if (cached && sameSettings(cached.settings, provider, false)) return cached;
    if (cached) retire(cached);
    const entry: CachedTransport = {
      settings: settingsSnapshot(provider),
      transport: createTransport(provider, transportOptions),
      inFlight: 0,
      retired: false,
    };
    transports.set(provider.id, entry);
    return entry;
  }

  function retire(entry: CachedTransport): void {
    entry.retired = true;
    if (entry.inFlight === 0) closeQuietly(entry.transport);
  }

  function closeQuietly(transport: Transport): void {
    transport
      .close()
      .catch((error: unknown) => logger.warn({ err: error }, 'closing a replaced transport failed'));
  }

  async function readHealth(providerId: string): Promise<HealthRecord> {
    try {
      return await store.get(providerId);
    } catch (error) {
      // Health is advice: an unreachable store must not stop delivery, so the provider counts as healthy.
      logger.warn({ err: error, providerId }, 'health store read failed; treating the provider as healthy');
      return initialHealthRecord();
    }
  }

  async function updateHealth(
    providerId: string,
    fn: (record: HealthRecord) => HealthRecord,
  ): Promise<HealthRecord | undefined> {
    try {
      return await store.update(providerId, fn);
    } catch (error) {
      logger.warn({ err: error, providerId }, 'health store update failed');
      return undefined;
    }
  }

  async function notify(attempt: Attempt, context: AttemptContext): Promise<void> {
    if (!options.onAttempt) return;
    try {
      await options.onAttempt(attempt, context);
    } catch (error) {
      logger.warn({ err: error, providerId: attempt.providerId }, 'onAttempt hook failed');
    }
  }

  /** The peer's words in a failure, without any provider's secret in any form. */
  function cleanFailure(failure: Failure): Failure {
    const list = secretList();
    const clean: Failure = {
      ...failure,
      message: redact(failure.message, list),
      hint: { en: redact(failure.hint.en, list), tr: redact(failure.hint.tr, list) },
    };
    if (failure.vendorCode !== undefined) clean.vendorCode = redact(failure.vendorCode, list);
    return clean;
  }

  /** An acceptance carries the peer's words too: its reply (the id kept for the message) and refusals. */
  function cleanAcceptance(result: Accepted): Accepted {
    const list = secretList();
    const clean: Accepted = {
      ...result,
      rejected: result.rejected.map((recipient) => ({
        ...recipient,
        message: redact(recipient.message, list),
      })),
    };
    if (result.providerMessageId !== undefined) {
      clean.providerMessageId = redact(result.providerMessageId, list);
    }
    return clean;
  }

  /** One provider, one try: the transport's answer, timed, with health recorded. */
  async function runAttempt(
    provider: ProviderConfig,
    prepared: PreparedMessage,
    context: AttemptContext,
    signal: AbortSignal | undefined,
    probeToken: string | undefined,
  ): Promise<AttemptRun> {
    const startedAt = new Date(clock.now());
    const started = performance.now();
    let result: TransportResult;
    let entry: CachedTransport | undefined;
    try {
      entry = acquireTransport(provider);
      entry.inFlight++;
      result = await entry.transport.send(toEnvelope(prepared, provider), { signal });
    } catch (error) {
      if (signal?.aborted) {
        await updateHealth(provider.id, (record) => releaseProbe(record, probeToken));
        throw abortReason(signal);
      }
      result = { ok: false, failure: thrownFailure(error, entry === undefined, secretList()) };
    } finally {
      if (entry) {
        entry.inFlight--;
        if (entry.retired && entry.inFlight === 0) closeQuietly(entry.transport);
      }
    }
    const durationMs = Math.round(performance.now() - started);
    if (!result.ok && signal?.aborted) {
      // The caller gave up; that says nothing about the provider.
      await updateHealth(provider.id, (record) => releaseProbe(record, probeToken));
      throw abortReason(signal);
    }

    const now = clock.now();
    const attempt: Attempt = {
      providerId: provider.id,
      providerName: provider.name,
      startedAt,
      durationMs,
      outcome: result.ok ? 'SENT' : 'FAILED',
    };
    if (result.ok) {
      result = cleanAcceptance(result);
      if (result.providerMessageId !== undefined) attempt.providerMessageId = result.providerMessageId;
      await updateHealth(provider.id, (record) => recordSuccess(record));
      logger.info(
        {
          providerId: provider.id,
          providerName: provider.name,
          messageId: prepared.messageId,
          durationMs,
          rejected: result.rejected.length,
        },
        'message accepted',
      );
    } else {
      const failure = cleanFailure(result.failure);
      result = { ok: false, failure };
      attempt.failure = failure;
      await updateHealth(provider.id, (record) =>
        recordFailure(record, failure, { now, settings: breaker, probeToken }),
      );
      logger.warn(
        {
          providerId: provider.id,
          providerName: provider.name,
          messageId: prepared.messageId,
          durationMs,
          category: failure.category,
          stage: failure.stage,
          smtpCode: failure.smtpCode,
          enhancedCode: failure.enhancedCode,
          httpStatus: failure.httpStatus,
          vendorCode: failure.vendorCode,
          fallback: failure.fallback,
          providerMessage: failure.message,
        },
        'attempt failed',
      );
    }
    await notify(attempt, context);
    return { attempt, result };
  }

  async function skip(
    provider: ProviderConfig,
    reason: 'circuit_open' | 'cooling_down',
    context: AttemptContext,
  ): Promise<Attempt> {
    const attempt: Attempt = {
      providerId: provider.id,
      providerName: provider.name,
      startedAt: new Date(clock.now()),
      durationMs: 0,
      outcome: 'SKIPPED',
      skippedReason: reason,
    };
    logger.debug({ providerId: provider.id, messageId: context.messageId, reason }, 'provider skipped');
    await notify(attempt, context);
    return attempt;
  }

  function assertOpen(): void {
    if (closed) throw new Error('This mailer is closed; create a new one to send again.');
  }

  function finish(
    prepared: PreparedMessage,
    attempts: Attempt[],
    delivered: { providerId: string; result: TransportResult } | undefined,
    lastFailure: Failure | undefined,
  ): SendResult {
    if (delivered && delivered.result.ok) {
      return {
        ok: true,
        messageId: prepared.messageId,
        deliveredBy: delivered.providerId,
        attempts,
        rejectedRecipients: delivered.result.rejected,
      };
    }
    const result: SendResult = { ok: false, messageId: prepared.messageId, attempts, rejectedRecipients: [] };
    if (lastFailure) result.failure = lastFailure;
    logger.error(
      {
        messageId: prepared.messageId,
        attempts: attempts.map((a) => ({
          providerId: a.providerId,
          outcome: a.outcome,
          category: a.failure?.category,
        })),
        category: lastFailure?.category,
      },
      'message not delivered',
    );
    return result;
  }

  return {
    async send(message, sendOptions = {}) {
      assertOpen();
      const { channel = 'DEFAULT', signal, exclude = [] } = sendOptions;
      signal?.throwIfAborted();
      const providers = await loadProviders();
      const fullChain = buildChain(providers, channel);
      const chain =
        exclude.length === 0 ? fullChain : fullChain.filter((provider) => !exclude.includes(provider.id));
      chain.forEach(ensureValid);
      const prepared = prepareMessage(message, { messageIdDomain: idDomainFor(chain[0]?.fromEmail) });
      const context: AttemptContext = { messageId: prepared.messageId, channel };
      const attempts: Attempt[] = [];

      if (chain.length === 0) {
        return finish(prepared, attempts, undefined, noProviderFailure(channel, fullChain.length > 0));
      }

      let lastFailure: Failure | undefined;
      const skipped: Array<{ provider: ProviderConfig; until: number }> = [];
      for (const provider of chain) {
        signal?.throwIfAborted();
        const record = await readHealth(provider.id);
        const availability = availabilityOf(record, clock.now());
        let probeToken: string | undefined;
        if (availability.kind === 'skip') {
          attempts.push(await skip(provider, availability.reason, context));
          skipped.push({ provider, until: availability.until });
          continue;
        }
        if (availability.kind === 'probe') {
          const token = randomUUID();
          const now = clock.now();
          const taken = await updateHealth(provider.id, (current) =>
            takeProbe(current, { now, token, leaseMs: breaker.probeLeaseMs }),
          );
          if (taken && !holdsProbe(taken, token)) {
            // Another send is probing this provider right now.
            attempts.push(await skip(provider, 'circuit_open', context));
            skipped.push({ provider, until: taken.probe?.until ?? now });
            continue;
          }
          probeToken = token;
        }
        const run = await runAttempt(provider, prepared, context, signal, probeToken);
        attempts.push(run.attempt);
        if (run.result.ok)
          return finish(prepared, attempts, { providerId: provider.id, result: run.result }, undefined);
        lastFailure = run.result.failure;
        if (!lastFailure.fallback) return finish(prepared, attempts, undefined, lastFailure);
      }

      if (skipped.length === chain.length) {
        // Everything is open or cooling down. Refusing outright would lock the chain out until some window
        // ends, so probe the provider whose window ends soonest.
        const soonest = skipped.reduce((best, entry) => (entry.until < best.until ? entry : best));
        const token = randomUUID();
        const now = clock.now();
        const taken = await updateHealth(soonest.provider.id, (current) =>
          takeProbe(current, { now, token, leaseMs: breaker.probeLeaseMs, early: true }),
        );
        const probeToken = taken && holdsProbe(taken, token) ? token : undefined;
        signal?.throwIfAborted();
        const run = await runAttempt(soonest.provider, prepared, context, signal, probeToken);
        attempts.push(run.attempt);
        if (run.result.ok) {
          return finish(
            prepared,
            attempts,
            { providerId: soonest.provider.id, result: run.result },
            undefined,
          );
        }
        lastFailure = run.result.failure;
      }
      return finish(prepared, attempts, undefined, lastFailure);
    },

    async sendVia(providerId, message, viaOptions = {}) {
      assertOpen();
      const { signal } = viaOptions;
      signal?.throwIfAborted();
      const providers = await loadProviders();
      const provider = providers.find((candidate) => candidate.id === providerId);
      if (!provider) throw new Error(`No provider with id "${providerId}".`);
      ensureValid(provider);
      const prepared = prepareMessage(message, { messageIdDomain: idDomainFor(provider.fromEmail) });
      const run = await runAttempt(provider, prepared, { messageId: prepared.messageId }, signal, undefined);
      const delivered = run.result.ok ? { providerId: provider.id, result: run.result } : undefined;
      return finish(prepared, [run.attempt], delivered, run.result.ok ? undefined : run.result.failure);
    },

    async verify(provider, verifyOptions = {}) {
      const { signal } = verifyOptions;
      rememberSecrets(provider);
      const issues = validateProviderConfig(provider);
      if (issues.length > 0) throw new ProviderConfigError(provider.id, issues);
      signal?.throwIfAborted();
      const started = performance.now();
      let transport: Transport;
      try {
        transport = createTransport(provider, transportOptions);
      } catch (error) {
        return {
          ok: false,
          checkedAt: new Date(clock.now()),
          durationMs: Math.round(performance.now() - started),
          failure: thrownFailure(error, true, secretList()),
          warnings: configWarnings(provider),
        };
      }
      try {
        const outcome = await transport.verify({ signal });
        if (signal?.aborted && !outcome.ok) throw abortReason(signal);
        const warnings = [...new Set([...configWarnings(provider), ...outcome.warnings])];
        const result: VerifyResult = {
          ok: outcome.ok,
          checkedAt: new Date(clock.now()),
          durationMs: Math.round(performance.now() - started),
          warnings,
        };
        if (!outcome.ok) result.failure = cleanFailure(outcome.failure);
        logger.info(
          {
            providerId: provider.id,
            ok: result.ok,
            category: result.failure?.category,
            durationMs: result.durationMs,
          },
          'provider verified',
        );
        return result;
      } catch (error) {
        if (signal?.aborted) throw abortReason(signal);
        throw error;
      } finally {
        await transport
          .close()
          .catch((error: unknown) => logger.warn({ err: error }, 'closing a verify transport failed'));
      }
    },

    async chain(channel = 'DEFAULT') {
      const providers = await loadProviders();
      return buildChain(providers, channel).map(summarize);
    },

    async health() {
      const providers = await loadProviders();
      const stored = new Map((await store.list()).map((entry) => [entry.providerId, entry.record]));
      const now = clock.now();
      return providers.map((provider) =>
        describeHealth(provider.id, stored.get(provider.id) ?? initialHealthRecord(), now),
      );
    },

    async close() {
      closed = true;
      const entries = [...transports.values()];
      transports.clear();
      await Promise.allSettled(entries.map((entry) => entry.transport.close()));
    },
  };
}

function summarize(provider: ProviderConfig): ProviderSummary {
  const { password: _password, ...rest } = provider;
  return rest;
}

function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('The send was aborted.', 'AbortError');
}

function isProviderList(providers: MailerOptions['providers']): providers is readonly ProviderConfig[] {
  return Array.isArray(providers);
}

/**
 * Whether two readings of a provider agree on the settings that shape a connection (a change needs a new
 * transport), or with `all` on every field (a change needs a new validation). Field by field rather than
 * through a serialised key: this runs for every provider of the chain on every send.
 */
function sameSettings(a: ProviderConfig, b: ProviderConfig, all: boolean): boolean {
  const connection =
    a.type === b.type &&
    (a.apiVendor ?? null) === (b.apiVendor ?? null) &&
    a.host === b.host &&
    a.port === b.port &&
    authMethodOf(a) === authMethodOf(b) &&
    a.username === b.username &&
    a.password === b.password &&
    a.encryption === b.encryption &&
    a.fromEmail === b.fromEmail &&
    a.fromName === b.fromName &&
    (a.tls?.rejectUnauthorized ?? null) === (b.tls?.rejectUnauthorized ?? null) &&
    (a.tls?.servername ?? null) === (b.tls?.servername ?? null) &&
    sameCa(a.tls?.ca, b.tls?.ca);
  if (!connection || !all) return connection;
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.serviceType === b.serviceType &&
    a.status === b.status &&
    a.priority === b.priority
  );
}

function sameCa(a: TlsOptions['ca'], b: TlsOptions['ca']): boolean {
  if (a === b) return true;
  const left = caList(a);
  const right = caList(b);
  return (
    left.length === right.length &&
    left.every((entry, i) => {
      const other = right[i];
      if (typeof entry === 'string' || typeof other === 'string' || other === undefined)
        return entry === other;
      return entry.equals(other);
    })
  );
}

function caList(ca: TlsOptions['ca']): Array<string | Buffer> {
  if (ca === undefined) return [];
  return Array.isArray(ca) ? ca : [ca];
}

/** A copy of a provider's settings to compare later readings with: callers may change their objects in place. */
function settingsSnapshot(provider: ProviderConfig): ProviderConfig {
  if (!provider.tls) return { ...provider };
  const tls: TlsOptions = { ...provider.tls };
  if (provider.tls.ca !== undefined) {
    tls.ca = caList(provider.tls.ca).map((entry) => (typeof entry === 'string' ? entry : Buffer.from(entry)));
  }
  return { ...provider, tls };
}

function noProviderFailure(channel: Channel, allExcluded: boolean): Failure {
  return {
    category: 'CONFIG',
    fallback: false,
    countsAgainstHealth: false,
    retryable: true,
    message: allExcluded
      ? `No active provider of the ${channel} channel is left once the excluded ones are left out.`
      : `No active provider serves the ${channel} channel.`,
    hint: allExcluded ? EXCLUDED_ALL_HINT : NO_PROVIDER_HINT,
  };
}

/**
 * A transport factory refused the settings (`CONFIG`), or a transport broke its contract and threw
 * (`UNKNOWN`): either way the attempt becomes a value and the next provider is tried.
 */
function thrownFailure(error: unknown, fromFactory: boolean, secrets: readonly string[]): Failure {
  const category = fromFactory ? 'CONFIG' : 'UNKNOWN';
  const text = error instanceof Error ? error.message : String(error);
  const code =
    error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return {
    category,
    ...CATEGORY_POLICY[category],
    message: redact(text, secrets),
    hint: buildHint(fromFactory ? 'config' : 'unknown', { code }),
  };
}
