import type { ApiVendor } from './provider';
import type { Stage } from './result';

/** What an SMTP exchange (through nodemailer) or the network told us when an attempt failed. */
export interface SmtpEvidence {
  kind: 'smtp';
  /** nodemailer's error code (`ECONNECTION`, `ETIMEDOUT`, `EAUTH`, `EENVELOPE`, `EMESSAGE`, `ESOCKET`, `ETLS` …). */
  code?: string;
  /** Node's own error code when recoverable from the cause or message (`ECONNREFUSED`, `ENOTFOUND` …). */
  errno?: string;
  responseCode?: number;
  /** The server's reply line(s). */
  response?: string;
  /** The command the reply answered (`CONN`, `EHLO`, `STARTTLS`, `AUTH PLAIN`, `MAIL FROM`, `RCPT TO`, `DATA`). */
  command?: string;
  /**
   * The stage the transport saw, when it knows better than `command`: nodemailer names a connection lost
   * while or after the content was sent `CONN`, but the transport knows the message had been handed over
   * (`data`: content being sent, `after_data`: content sent, reply awaited).
   */
  stage?: Stage;
  message: string;
}

/** What a vendor's HTTP API answered, already parsed by its transport. */
export interface HttpEvidence {
  kind: 'http';
  vendor: ApiVendor;
  status: number;
  /** The vendor's error code (`SM_111`, Postmark `ErrorCode` as a string …). */
  vendorCode?: string;
  /** The vendor's error words. */
  message: string;
  /** From Retry-After or the vendor's rate-limit reset header. */
  retryAfterMs?: number;
  /** The vendor said the sender or its domain is not verified there: the provider's problem, not the message's. */
  senderNotVerified?: boolean;
  /** A success status whose body is not the vendor's API (a web page, another service): the host is wrong. */
  notVendorApi?: boolean;
}

/** An HTTP request that got no answer. */
export interface HttpNetworkEvidence {
  kind: 'http_network';
  vendor: ApiVendor;
  /** Node's error code (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`, `CERT_HAS_EXPIRED` …). */
  errno?: string;
  /** The request timed out (our own AbortSignal timeout). */
  timedOut: boolean;
  /** The request body had been sent when the failure came: the message may have been accepted. */
  requestSent: boolean;
  message: string;
  stage?: Stage;
}

/** The OAuth2 token source could not give an access token: nothing was sent to the provider. */
export interface OAuth2Evidence {
  kind: 'oauth2';
  /** The authorization server refused the grant itself (`invalid_grant` …): only a new sign-in helps. */
  grantError?: string;
  message: string;
}

/** Everything `classifyFailure` can judge. */
export type FailureEvidence = SmtpEvidence | HttpEvidence | HttpNetworkEvidence | OAuth2Evidence;
