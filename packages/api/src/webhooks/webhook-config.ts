import { z } from 'zod';
import { ConfigError } from '../config';

/** Settings of outbound webhook delivery (docs/webhooks.md). */
export interface WebhookConfig {
  /** An endpoint failing without a success for this long is disabled (WEBHOOK_DISABLE_AFTER_HOURS). */
  disableAfterMs: number;
  /** How long one request may take, from connecting to the end of the answer. */
  timeoutMs: number;
  /** How long a worker holds a message it sends; after that another process sends it again. */
  leaseSeconds: number;
  /** The first retry's delay; later ones follow the schedule of webhook-retry.ts scaled by it. */
  retryBaseMs: number;
  /** A message not delivered this long after it was queued is given up. */
  retryWindowMs: number;
  /** How many messages one process sends at the same time. */
  concurrency: number;
  /**
   * Mail goes first: while this process has mail in flight, a webhook message waits until it has none, or
   * until it has waited this long (WEBHOOK_MAIL_FIRST_MS; 0 sends at once).
   */
  mailFirstMs: number;
}

export const DEFAULT_WEBHOOK_CONFIG: WebhookConfig = {
  disableAfterMs: 72 * 3_600_000,
  timeoutMs: 10_000,
  leaseSeconds: 120,
  retryBaseMs: 10_000,
  retryWindowMs: 24 * 3_600_000,
  concurrency: 4,
  mailFirstMs: 10_000,
};

const emptyAsUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const bounded = (name: string, min: number, max: number, whole: boolean) => {
  const error = `${name} must be a ${whole ? 'whole ' : ''}number between ${min} and ${max}.`;
  const number = z.coerce.number({ error }).min(min, { error }).max(max, { error });
  return z.preprocess(emptyAsUndefined, (whole ? number.int({ error }) : number).optional());
};

const schema = z.object({
  // Hours, fractions allowed (0.001 is 3.6 seconds), so a test can watch an endpoint being disabled.
  WEBHOOK_DISABLE_AFTER_HOURS: bounded('WEBHOOK_DISABLE_AFTER_HOURS', 0.0001, 24 * 365, false),
  WEBHOOK_TIMEOUT_MS: bounded('WEBHOOK_TIMEOUT_MS', 100, 120_000, true),
  WEBHOOK_LEASE_SECONDS: bounded('WEBHOOK_LEASE_SECONDS', 1, 3600, true),
  WEBHOOK_RETRY_BASE_MS: bounded('WEBHOOK_RETRY_BASE_MS', 10, 3_600_000, true),
  WEBHOOK_RETRY_WINDOW_HOURS: bounded('WEBHOOK_RETRY_WINDOW_HOURS', 0.0001, 24 * 30, false),
  WEBHOOK_CONCURRENCY: bounded('WEBHOOK_CONCURRENCY', 1, 64, true),
  WEBHOOK_MAIL_FIRST_MS: bounded('WEBHOOK_MAIL_FIRST_MS', 0, 600_000, true),
});

/** Reads the WEBHOOK_* variables; unset ones take the defaults. Throws ConfigError naming each bad one. */
export function loadWebhookConfig(env: NodeJS.ProcessEnv = process.env): WebhookConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const e = parsed.data;
  const d = DEFAULT_WEBHOOK_CONFIG;
  const config: WebhookConfig = {
    disableAfterMs:
      e.WEBHOOK_DISABLE_AFTER_HOURS === undefined
        ? d.disableAfterMs
        : Math.round(e.WEBHOOK_DISABLE_AFTER_HOURS * 3_600_000),
    timeoutMs: e.WEBHOOK_TIMEOUT_MS ?? d.timeoutMs,
    leaseSeconds: e.WEBHOOK_LEASE_SECONDS ?? d.leaseSeconds,
    retryBaseMs: e.WEBHOOK_RETRY_BASE_MS ?? d.retryBaseMs,
    retryWindowMs:
      e.WEBHOOK_RETRY_WINDOW_HOURS === undefined
        ? d.retryWindowMs
        : Math.round(e.WEBHOOK_RETRY_WINDOW_HOURS * 3_600_000),
    concurrency: e.WEBHOOK_CONCURRENCY ?? d.concurrency,
    mailFirstMs: e.WEBHOOK_MAIL_FIRST_MS ?? d.mailFirstMs,
  };
  if (config.leaseSeconds * 1000 <= config.timeoutMs) {
    throw new ConfigError([
      'WEBHOOK_LEASE_SECONDS must be longer than WEBHOOK_TIMEOUT_MS, or a slow answer is sent twice.',
    ]);
  }
  return config;
}
