import type { Attempt, Channel, Failure, VerifyResult } from '@mail-providers/mailer-core';
import type { ValueTransformer } from 'typeorm';

/*
 * Results kept on a provider row as jsonb. In memory they carry Dates like the engine's own results; in the
 * column the dates are ISO strings. Failures are stored whole (their messages are already redacted by the
 * engine) so both hint languages survive and the reader's locale picks one.
 */

/** The outcome of the last test email, as kept on the provider it went through (or that delivered it). */
export interface TestEmailRecord {
  ok: boolean;
  /** The provider asked for, when the test went through one provider alone. */
  providerId: string | null;
  /** The channel walked when the test went through the chain. */
  channel: Channel | null;
  deliveredBy: string | null;
  messageId: string | null;
  attempts: Attempt[];
  /** What ended the send when nothing was delivered. */
  failure: Failure | null;
  sentAt: Date;
}

export type StoredAttempt = Omit<Attempt, 'startedAt'> & { startedAt: string };
export type StoredVerification = Omit<VerifyResult, 'checkedAt'> & { checkedAt: string };
export type StoredTestEmail = Omit<TestEmailRecord, 'attempts' | 'sentAt'> & {
  attempts: StoredAttempt[];
  sentAt: string;
};

export function attemptToJson(attempt: Attempt): StoredAttempt {
  return { ...attempt, startedAt: attempt.startedAt.toISOString() };
}

export function attemptFromJson(stored: StoredAttempt): Attempt {
  return { ...stored, startedAt: new Date(stored.startedAt) };
}

export const verificationTransformer: ValueTransformer = {
  to(value: VerifyResult | null | undefined): StoredVerification | null | undefined {
    if (value == null) return value;
    return { ...value, checkedAt: value.checkedAt.toISOString() };
  },
  from(value: StoredVerification | null): VerifyResult | null {
    if (value == null) return null;
    return { ...value, checkedAt: new Date(value.checkedAt) };
  },
};

export const testEmailTransformer: ValueTransformer = {
  to(value: TestEmailRecord | null | undefined): StoredTestEmail | null | undefined {
    if (value == null) return value;
    return { ...value, attempts: value.attempts.map(attemptToJson), sentAt: value.sentAt.toISOString() };
  },
  from(value: StoredTestEmail | null): TestEmailRecord | null {
    if (value == null) return null;
    return {
      ...value,
      failure: value.failure ?? null,
      attempts: value.attempts.map(attemptFromJson),
      sentAt: new Date(value.sentAt),
    };
  },
};
