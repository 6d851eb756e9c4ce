import type { Attempt, Failure, FailureCategory } from '@mail-providers/mailer-core';
import type { RetryPolicy } from './retry-policy';
import { roundVerdict, type RoundOutcome } from './round-verdict';

const POLICY: RetryPolicy = { baseDelayMs: 30_000, maxDelayMs: 3_600_000, windowMs: 24 * 3_600_000 };
const ACCEPTED = new Date('2026-01-01T00:00:00Z');
const PROVIDER_ID = '6f1c7c1e-7d1b-4e3a-9a52-5d1e0b7c2a10';
const at = (ms: number) => new Date(ACCEPTED.getTime() + ms);

function failure(category: FailureCategory, retryable: boolean): Failure {
  return {
    category,
    fallback: retryable,
    countsAgainstHealth: retryable,
    retryable,
    message: `${category} from the provider`,
    hint: { en: `fix ${category}`, tr: `${category} düzelt` },
  };
}

function attempt(outcome: Attempt['outcome'], extra: Partial<Attempt> = {}): Attempt {
  return {
    providerId: PROVIDER_ID,
    providerName: 'relay',
    startedAt: ACCEPTED,
    durationMs: 5,
    outcome,
    ...extra,
  };
}

const sent: RoundOutcome = {
  kind: 'result',
  result: {
    ok: true,
    messageId: '<m@example.com>',
    deliveredBy: PROVIDER_ID,
    attempts: [attempt('FAILED'), attempt('SENT', { providerMessageId: 'queue-7' })],
    rejectedRecipients: [],
  },
};
const failedWith = (f: Failure): RoundOutcome => ({
  kind: 'result',
  result: {
    ok: false,
    messageId: '<m@example.com>',
    attempts: [attempt('FAILED')],
    rejectedRecipients: [],
    failure: f,
  },
});

describe('roundVerdict', () => {
  it.each([
    { case: 'delivered', outcome: sent, round: 1, now: at(1000), status: 'SENT', next: null, reason: null },
    {
      case: 'a recipient refused (another try would be refused too)',
      outcome: failedWith(failure('RECIPIENT_REJECTED', false)),
      round: 1,
      now: at(1000),
      status: 'FAILED',
      next: null,
      reason: /^RECIPIENT_REJECTED: .* — fix RECIPIENT_REJECTED$/,
    },
    {
      case: 'a stored message that cannot be sent',
      outcome: { kind: 'invalid', problem: 'no recipient' } as RoundOutcome,
      round: 1,
      now: at(1000),
      status: 'FAILED',
      next: null,
      reason: /cannot be sent: no recipient/,
    },
    {
      case: 'a retryable failure after the first round: the base delay',
      outcome: failedWith(failure('CONNECTION', true)),
      round: 1,
      now: at(1000),
      status: 'RETRYING',
      next: at(31_000),
      reason: /^CONNECTION: /,
    },
    {
      case: 'a retryable failure after the third round: doubled twice',
      outcome: failedWith(failure('TIMEOUT', true)),
      round: 3,
      now: at(1000),
      status: 'RETRYING',
      next: at(121_000),
      reason: /^TIMEOUT: /,
    },
    {
      case: 'a round that could not run',
      outcome: { kind: 'error', problem: 'no active provider' } as RoundOutcome,
      round: 2,
      now: at(1000),
      status: 'RETRYING',
      next: at(61_000),
      reason: /could not run: no active provider/,
    },
    {
      case: 'an interrupted round, retried at once',
      outcome: { kind: 'interrupted', why: 'shutdown', startedAt: ACCEPTED, durationMs: 10 } as RoundOutcome,
      round: 4,
      now: at(1000),
      status: 'RETRYING',
      next: at(2000),
      reason: /interrupted \(shutdown\)/,
    },
    {
      case: 'the last wait shortened to the end of the window',
      outcome: failedWith(failure('CONNECTION', true)),
      round: 9,
      now: at(POLICY.windowMs - 5000),
      status: 'RETRYING',
      next: at(POLICY.windowMs),
      reason: /^CONNECTION: /,
    },
    {
      case: 'a retryable failure once the window has closed',
      outcome: failedWith(failure('CONNECTION', true)),
      round: 30,
      now: at(POLICY.windowMs),
      status: 'FAILED',
      next: null,
      reason: /^Gave up after 30 round\(s\) over 24 h\. Last: CONNECTION: /,
    },
  ])('$case → $status', ({ outcome, round, now, status, next, reason }) => {
    const verdict = roundVerdict({ round, windowStartedAt: ACCEPTED }, outcome, POLICY, now);
    expect(verdict.status).toBe(status);
    expect(verdict.nextAttemptAt).toEqual(next);
    if (reason === null) expect(verdict.reason).toBeNull();
    else expect(verdict.reason).toMatch(reason);
  });

  it('names the provider that delivered, its message id, and the last attempt that sent', () => {
    expect(roundVerdict({ round: 1, windowStartedAt: ACCEPTED }, sent, POLICY, at(1000))).toMatchObject({
      deliveredById: PROVIDER_ID,
      deliveredByName: 'relay',
      providerMessageId: 'queue-7',
      failure: null,
    });
  });
});
