/** What went wrong, in the terms an operator acts on. See the README's failure categories. */
export type FailureCategory =
  | 'CONNECTION'
  | 'TIMEOUT'
  | 'TLS'
  | 'AUTH'
  | 'RELAY_DENIED'
  | 'RATE_LIMITED'
  | 'PROVIDER_UNAVAILABLE'
  | 'RECIPIENT_REJECTED'
  | 'MESSAGE_REJECTED'
  | 'AMBIGUOUS'
  | 'CONFIG'
  | 'UNKNOWN';

/** Where in the exchange the failure came. `data` and later mean the message may have been handed over. */
export type Stage =
  | 'connect'
  | 'greeting'
  | 'tls'
  | 'ehlo'
  | 'auth'
  | 'mail_from'
  | 'rcpt'
  | 'data'
  | 'after_data'
  | 'http_request'
  | 'http_response';

/** One sentence or two telling the operator what to do, in each language the panel speaks. */
export interface Hint {
  en: string;
  tr: string;
}

/** A classified delivery failure with the provider's own evidence. Secrets are already removed from `message`. */
export interface Failure {
  category: FailureCategory;
  /** Try the next provider in the chain now. */
  fallback: boolean;
  /** Counts against the provider's health (circuit breaker). */
  countsAgainstHealth: boolean;
  /** Worth retrying later from the queue. */
  retryable: boolean;
  stage?: Stage;
  smtpCode?: number;
  enhancedCode?: string;
  /** The SMTP command that failed (`MAIL FROM`, `RCPT TO`, `DATA`, …). */
  command?: string;
  httpStatus?: number;
  /** The vendor's own error code (`SM_111`, Postmark `ErrorCode` …). */
  vendorCode?: string;
  /** The provider's words, redacted. */
  message: string;
  hint: Hint;
  /** For rate limits: how long the provider asked us to wait. */
  retryAfterMs?: number;
  /** The message may have been delivered even though this attempt failed (at-least-once). */
  possibleDuplicate?: boolean;
}

/** A recipient the provider refused while accepting others. */
export interface RejectedRecipient {
  address: string;
  smtpCode?: number;
  enhancedCode?: string;
  message: string;
}

/** What one transport did with one message. Delivery failures are values, never thrown. */
export type TransportResult =
  | {
      ok: true;
      /** The provider's own id for the message when it reports one (HTTP APIs), else the SMTP queue reply. */
      providerMessageId?: string;
      accepted: string[];
      rejected: RejectedRecipient[];
    }
  | { ok: false; failure: Failure };

export type AttemptOutcome = 'SENT' | 'FAILED' | 'SKIPPED';

/** One provider's part in one send. */
export interface Attempt {
  providerId: string;
  providerName: string;
  startedAt: Date;
  durationMs: number;
  outcome: AttemptOutcome;
  failure?: Failure;
  /** Why a provider was not tried. */
  skippedReason?: 'circuit_open' | 'cooling_down';
  providerMessageId?: string;
}

/** The outcome of a send through the chain (or through one provider). */
export interface SendResult {
  ok: boolean;
  messageId: string;
  /** Id of the provider that accepted the message. */
  deliveredBy?: string;
  attempts: Attempt[];
  /** Recipients refused while the message went to the others. */
  rejectedRecipients: RejectedRecipient[];
  /** The failure that ended the send when nothing was delivered. */
  failure?: Failure;
}

/** The outcome of connecting and authenticating without sending. */
export interface VerifyResult {
  ok: boolean;
  checkedAt: Date;
  durationMs: number;
  failure?: Failure;
  /** Advice that does not stop the provider from working (a port/encryption mismatch, TLS checks off …). */
  warnings: string[];
}
