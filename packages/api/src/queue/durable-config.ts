import { z } from 'zod';
import { ConfigError } from '../config';
import { DEFAULT_EMAIL_LIMITS, type EmailLimits } from '../services/email-input-validation';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';

/** Settings of durable sending: the claim, the workers, retries, retention, alerts and send limits. */
export interface DurableConfig {
  retry: RetryPolicy;
  /**
   * How long a claim holds its delivery (DELIVERY_JOB_TIMEOUT_SECONDS): once it expires, another worker
   * takes the delivery over. A round sends and records its outcome within it (see lease-budget.ts).
   */
  leaseSeconds: number;
  /** How often a delivery whose lease expired is taken over again (in a row) before it ends FAILED. */
  crashRetryLimit: number;
  /** How many deliveries one process sends at the same time. */
  workerConcurrency: number;
  /** How often an idle worker looks for due deliveries (new mail wakes it at once). */
  pollIntervalMs: number;
  /** How often a worker process gives up deliveries whose leases kept expiring. */
  leaseSweepIntervalSeconds: number;
  /** Deliveries (and alert events) older than this are deleted by the purge. */
  retentionDays: number;
  /** How often a worker process purges. */
  purgeIntervalMinutes: number;
  limits: EmailLimits;
  /** Messages one caller may submit per minute (sendEmail and sendEmails together). */
  sendPerMinute: number;
  /** Most messages in one sendEmails call. */
  maxBatch: number;
  /**
   * ALERT_WEBHOOK_URL: a webhook endpoint for the provider events (PROVIDER_PAUSED, PROVIDER_RECOVERED,
   * FALLBACK_USED, PROVIDER_OAUTH_REVOKED), made sure of at start.
   */
  alertWebhookUrl: string | undefined;
  /** A fallback episode with no new occurrence for this long is over; the next fallback is a new alert. */
  alertQuietMs: number;
  /** How stale this process's view of another process's health change may be. */
  healthSnapshotMs: number;
}

export const DEFAULT_DURABLE_CONFIG: DurableConfig = {
  retry: DEFAULT_RETRY_POLICY,
  leaseSeconds: 300,
  crashRetryLimit: 20,
  workerConcurrency: 50,
  pollIntervalMs: 1000,
  leaseSweepIntervalSeconds: 30,
  retentionDays: 30,
  purgeIntervalMinutes: 60,
  limits: DEFAULT_EMAIL_LIMITS,
  sendPerMinute: 6000,
  maxBatch: 500,
  alertWebhookUrl: undefined,
  alertQuietMs: 15 * 60_000,
  healthSnapshotMs: 250,
};

const emptyAsUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const whole = (name: string, min: number, max: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: `${name} must be a whole number between ${min} and ${max}.` })
      .int({ error: `${name} must be a whole number between ${min} and ${max}.` })
      .min(min, { error: `${name} must be a whole number between ${min} and ${max}.` })
      .max(max, { error: `${name} must be a whole number between ${min} and ${max}.` })
      .optional(),
  );

const DAY_MS = 24 * 60 * 60_000;

const schema = z.object({
  DELIVERY_RETRY_BASE_MS: whole('DELIVERY_RETRY_BASE_MS', 10, DAY_MS),
  DELIVERY_RETRY_MAX_DELAY_MS: whole('DELIVERY_RETRY_MAX_DELAY_MS', 10, DAY_MS),
  DELIVERY_RETRY_WINDOW_MS: whole('DELIVERY_RETRY_WINDOW_MS', 0, 30 * DAY_MS),
  DELIVERY_JOB_TIMEOUT_SECONDS: whole('DELIVERY_JOB_TIMEOUT_SECONDS', 2, 23 * 3600),
  DELIVERY_CRASH_RETRY_LIMIT: whole('DELIVERY_CRASH_RETRY_LIMIT', 0, 1000),
  DELIVERY_WORKER_CONCURRENCY: whole('DELIVERY_WORKER_CONCURRENCY', 1, 500),
  QUEUE_POLL_INTERVAL_MS: whole('QUEUE_POLL_INTERVAL_MS', 500, 60_000),
  QUEUE_MAINTENANCE_INTERVAL_SECONDS: whole('QUEUE_MAINTENANCE_INTERVAL_SECONDS', 1, 3600),
  DELIVERY_RETENTION_DAYS: whole('DELIVERY_RETENTION_DAYS', 1, 3650),
  DELIVERY_PURGE_INTERVAL_MINUTES: whole('DELIVERY_PURGE_INTERVAL_MINUTES', 1, 7 * 24 * 60),
  SEND_MAX_MESSAGE_BYTES: whole('SEND_MAX_MESSAGE_BYTES', 1024, 100 * 1024 * 1024),
  SEND_MAX_RECIPIENTS: whole('SEND_MAX_RECIPIENTS', 1, 10_000),
  SEND_RATE_LIMIT_PER_MINUTE: whole('SEND_RATE_LIMIT_PER_MINUTE', 1, 10_000_000),
  SEND_MAX_BATCH: whole('SEND_MAX_BATCH', 1, 10_000),
  ALERT_WEBHOOK_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^https?:\/\/\S+$/, { error: 'ALERT_WEBHOOK_URL must be an http:// or https:// URL.' })
      .optional(),
  ),
  ALERT_QUIET_MS: whole('ALERT_QUIET_MS', 1000, DAY_MS),
  HEALTH_SNAPSHOT_MS: whole('HEALTH_SNAPSHOT_MS', 0, 1000),
});

/** Reads the durable-sending variables; unset ones take the defaults above. Throws ConfigError naming each bad one. */
export function loadDurableConfig(env: NodeJS.ProcessEnv = process.env): DurableConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  const e = parsed.data;
  const d = DEFAULT_DURABLE_CONFIG;
  const config: DurableConfig = {
    retry: {
      baseDelayMs: e.DELIVERY_RETRY_BASE_MS ?? d.retry.baseDelayMs,
      maxDelayMs: e.DELIVERY_RETRY_MAX_DELAY_MS ?? d.retry.maxDelayMs,
      windowMs: e.DELIVERY_RETRY_WINDOW_MS ?? d.retry.windowMs,
    },
    leaseSeconds: e.DELIVERY_JOB_TIMEOUT_SECONDS ?? d.leaseSeconds,
    crashRetryLimit: e.DELIVERY_CRASH_RETRY_LIMIT ?? d.crashRetryLimit,
    workerConcurrency: e.DELIVERY_WORKER_CONCURRENCY ?? d.workerConcurrency,
    pollIntervalMs: e.QUEUE_POLL_INTERVAL_MS ?? d.pollIntervalMs,
    leaseSweepIntervalSeconds: e.QUEUE_MAINTENANCE_INTERVAL_SECONDS ?? d.leaseSweepIntervalSeconds,
    retentionDays: e.DELIVERY_RETENTION_DAYS ?? d.retentionDays,
    purgeIntervalMinutes: e.DELIVERY_PURGE_INTERVAL_MINUTES ?? d.purgeIntervalMinutes,
    limits: {
      maxMessageBytes: e.SEND_MAX_MESSAGE_BYTES ?? d.limits.maxMessageBytes,
      maxRecipients: e.SEND_MAX_RECIPIENTS ?? d.limits.maxRecipients,
    },
    sendPerMinute: e.SEND_RATE_LIMIT_PER_MINUTE ?? d.sendPerMinute,
    maxBatch: e.SEND_MAX_BATCH ?? d.maxBatch,
    alertWebhookUrl: e.ALERT_WEBHOOK_URL,
    alertQuietMs: e.ALERT_QUIET_MS ?? d.alertQuietMs,
    healthSnapshotMs: e.HEALTH_SNAPSHOT_MS ?? d.healthSnapshotMs,
  };
  if (config.retry.maxDelayMs < config.retry.baseDelayMs) {
    throw new ConfigError(['DELIVERY_RETRY_MAX_DELAY_MS must not be smaller than DELIVERY_RETRY_BASE_MS.']);
  }
  return config;
}
