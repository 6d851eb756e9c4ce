import type { Failure, FailureCategory } from '../../src/result';

/** Per category: next provider now? counts against health? retry later? */
const RULES: Record<FailureCategory, [boolean, boolean, boolean]> = {
  CONNECTION: [true, true, true],
  TIMEOUT: [true, true, true],
  TLS: [true, true, true],
  AUTH: [true, true, true],
  RELAY_DENIED: [true, true, true],
  RATE_LIMITED: [true, false, true],
  PROVIDER_UNAVAILABLE: [true, true, true],
  RECIPIENT_REJECTED: [false, false, false],
  MESSAGE_REJECTED: [false, false, false],
  AMBIGUOUS: [true, true, true],
  CONFIG: [true, true, false],
  UNKNOWN: [true, true, true],
};

/** A failure of the given category with the decisions the engine gives it, for tests of the engine and breaker. */
export function failureOf(category: FailureCategory, extra: Partial<Failure> = {}): Failure {
  const [fallback, countsAgainstHealth, retryable] = RULES[category];
  return {
    category,
    fallback,
    countsAgainstHealth,
    retryable,
    message: `scripted ${category.toLowerCase()}`,
    hint: { en: `hint for ${category}`, tr: `${category} için ipucu` },
    ...extra,
  };
}
