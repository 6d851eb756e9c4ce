import type { Envelope } from '../message';
import type { TransportResult } from '../result';
import type { Failure } from '../result';

/** Per-attempt limits, in milliseconds. */
export interface Timeouts {
  /** Establishing TCP (and implicit TLS). Default 5 000. */
  connectMs: number;
  /** Waiting for the SMTP greeting. Default 5 000. */
  greetingMs: number;
  /** Inactivity on an open socket, and the whole HTTP request. Default 30 000. */
  socketMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5_000, greetingMs: 5_000, socketMs: 30_000 };

export interface SendOptions {
  /** Aborts the attempt; the transport then resolves with a failure or rejects with the abort reason. */
  signal?: AbortSignal;
}

/** The outcome of a verification at transport level; the engine adds timing. */
export type VerifyOutcome =
  { ok: true; warnings: string[] } | { ok: false; failure: Failure; warnings: string[] };

/**
 * One way of handing a message to one provider. Every transport, SMTP or HTTP, implements it, and the
 * fallback engine is built on it alone.
 */
export interface Transport {
  send(envelope: Envelope, options?: SendOptions): Promise<TransportResult>;
  /** Connects and authenticates without sending anything. */
  verify(options?: SendOptions): Promise<VerifyOutcome>;
  /** Releases pooled connections. */
  close(): Promise<void>;
}
