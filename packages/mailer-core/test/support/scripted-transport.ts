import type { Logger } from '../../src/logger';
import type { Envelope } from '../../src/message';
import type { ProviderConfig } from '../../src/provider';
import type { Failure, RejectedRecipient, TransportResult } from '../../src/result';
import type { SendOptions, Transport, VerifyOutcome } from '../../src/transports/transport';

/**
 * What a scripted provider does with the next message: accept it (optionally refusing some recipients),
 * fail with a classified failure, throw, or hang until the caller aborts.
 */
export type Step =
  | { ok: true; rejected?: RejectedRecipient[]; providerMessageId?: string }
  | { fail: Failure }
  | { throws: Error }
  | { hang: true };

/**
 * A stand-in provider for in-process engine tests: it plays a script of answers and keeps what it was
 * given. When the script runs out it repeats the last step.
 */
export class ScriptedProvider {
  readonly received: Envelope[] = [];
  readonly transports: ScriptedTransport[] = [];
  verifyOutcome: VerifyOutcome = { ok: true, warnings: [] };
  private script: Step[] = [];

  constructor(readonly config: ProviderConfig) {}

  /** Replaces the script. */
  plays(...steps: Step[]): this {
    this.script = steps;
    return this;
  }

  next(): Step {
    const step = this.script.length > 1 ? this.script.shift() : this.script[0];
    return step ?? { ok: true };
  }
}

export class ScriptedTransport implements Transport {
  closed = false;
  verifyCalls = 0;

  constructor(
    private readonly provider: ScriptedProvider,
    private readonly logger: Logger,
  ) {}

  async send(envelope: Envelope, options: SendOptions = {}): Promise<TransportResult> {
    this.provider.received.push(envelope);
    // A careless transport might log its settings; the engine's logger must strip the secret anyway.
    this.logger.debug(
      { password: this.provider.config.password, note: `auth with ${this.provider.config.password}` },
      `sending via ${this.provider.config.host} using ${this.provider.config.password}`,
    );
    const step = this.provider.next();
    if ('hang' in step) {
      return new Promise((_resolve, reject) => {
        const signal = options.signal;
        if (!signal) return;
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
    }
    if ('throws' in step) throw step.throws;
    if ('fail' in step) return { ok: false, failure: step.fail };
    const rejected = step.rejected ?? [];
    const refused = new Set(rejected.map((entry) => entry.address));
    return {
      ok: true,
      providerMessageId: step.providerMessageId,
      accepted: [...envelope.to, ...envelope.cc, ...envelope.bcc]
        .map((entry) => entry.address)
        .filter((address) => !refused.has(address)),
      rejected,
    };
  }

  async verify(): Promise<VerifyOutcome> {
    this.verifyCalls++;
    return this.provider.verifyOutcome;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
