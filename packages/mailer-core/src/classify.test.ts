import { randomBytes } from 'node:crypto';
import { classificationRuleId, classifyFailure } from './classify';
import type {
  FailureEvidence,
  HttpEvidence,
  HttpNetworkEvidence,
  OAuth2Evidence,
  SmtpEvidence,
} from './failure-evidence';
import type { ApiVendor } from './provider';
import type { FailureCategory, Stage } from './result';

const secret = 'pw-' + randomBytes(8).toString('hex');
const secretB64 = Buffer.from(secret).toString('base64');

/** nodemailer's shape for a reply to a command: its words, then the server's reply line. */
function reply(command: string, code: string, response: string, stage?: Stage): SmtpEvidence {
  const evidence: SmtpEvidence = {
    kind: 'smtp',
    code,
    command,
    response,
    responseCode: Number(response.slice(0, 3)),
    message: `${command === 'RCPT TO' ? 'Recipient' : 'Command'} failed: ${response}`,
  };
  if (stage !== undefined) evidence.stage = stage;
  return evidence;
}

/** A failure with no reply: nodemailer's code, its words, optionally the stage the transport saw. */
function net(code: string, message: string, extra: Partial<SmtpEvidence> = {}): SmtpEvidence {
  return { kind: 'smtp', code, command: 'CONN', message, ...extra };
}

function http(vendor: ApiVendor, status: number, extra: Partial<HttpEvidence> = {}): HttpEvidence {
  return { kind: 'http', vendor, status, message: `status ${status} for key ${secret}`, ...extra };
}

function httpNet(extra: Partial<HttpNetworkEvidence>): HttpNetworkEvidence {
  return {
    kind: 'http_network',
    vendor: 'resend',
    timedOut: false,
    requestSent: false,
    message: 'fetch failed',
    ...extra,
  };
}

interface Expected {
  fallback: boolean;
  counts: boolean;
  retryable: boolean;
  duplicate: boolean;
}
/** The flags of the failure categories (CATEGORY_POLICY), by kind of outcome. */
const PROVIDER_FAULT: Expected = { fallback: true, counts: true, retryable: true, duplicate: false };
const COOLDOWN: Expected = { fallback: true, counts: false, retryable: true, duplicate: false };
const STOP: Expected = { fallback: false, counts: false, retryable: false, duplicate: false };
const MAYBE_SENT: Expected = { fallback: true, counts: true, retryable: true, duplicate: true };
const NOT_ILL: Expected = { fallback: true, counts: false, retryable: true, duplicate: false };

function tokenSource(extra: Partial<OAuth2Evidence> = {}): OAuth2Evidence {
  return { kind: 'oauth2', message: 'The token endpoint answered 503.', ...extra };
}

type Row = [string, FailureEvidence, FailureCategory, Expected];

const rows: Row[] = [
  // CONNECTION
  [
    'ECONNREFUSED recovered from ESOCKET',
    net('ESOCKET', 'connect ECONNREFUSED 127.0.0.1:2525'),
    'CONNECTION',
    PROVIDER_FAULT,
  ],
  [
    'ECONNREFUSED given as errno',
    net('ESOCKET', 'socket error', { errno: 'ECONNREFUSED' }),
    'CONNECTION',
    PROVIDER_FAULT,
  ],
  ['DNS: EDNS', net('EDNS', 'getaddrinfo ENOTFOUND smtp.nowhere.invalid'), 'CONNECTION', PROVIDER_FAULT],
  ['DNS: EAI_AGAIN', net('ESOCKET', 'getaddrinfo EAI_AGAIN smtp.example.com'), 'CONNECTION', PROVIDER_FAULT],
  ['ECONNRESET before DATA', net('ESOCKET', 'read ECONNRESET'), 'CONNECTION', PROVIDER_FAULT],
  [
    'closed unexpectedly before DATA',
    net('ECONNECTION', 'Connection closed unexpectedly'),
    'CONNECTION',
    PROVIDER_FAULT,
  ],
  ['host unreachable', net('ESOCKET', 'connect EHOSTUNREACH 10.0.0.1:25'), 'CONNECTION', PROVIDER_FAULT],
  [
    'pool gave up after a close',
    { kind: 'smtp', message: 'Reached maximum number of retries after connection was closed' },
    'CONNECTION',
    PROVIDER_FAULT,
  ],
  [
    'pool closed under a send',
    { kind: 'smtp', message: 'Connection pool was closed' },
    'CONNECTION',
    PROVIDER_FAULT,
  ],
  // TIMEOUT
  ['connect timeout', net('ETIMEDOUT', 'Connection timeout'), 'TIMEOUT', PROVIDER_FAULT],
  ['greeting timeout', net('ETIMEDOUT', 'Greeting never received'), 'TIMEOUT', PROVIDER_FAULT],
  ['socket idle before DATA', net('ETIMEDOUT', 'Timeout'), 'TIMEOUT', PROVIDER_FAULT],
  // TLS
  [
    '465/587 mix-up: wrong version number',
    net('ESOCKET', 'C0D7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number'),
    'TLS',
    PROVIDER_FAULT,
  ],
  ['self-signed certificate', net('ESOCKET', 'self-signed certificate'), 'TLS', PROVIDER_FAULT],
  ['certificate code', net('ESOCKET', 'TLS failed', { errno: 'CERT_HAS_EXPIRED' }), 'TLS', PROVIDER_FAULT],
  [
    'altname mismatch',
    net(
      'ESOCKET',
      "Hostname/IP does not match certificate's altnames: IP: 10.0.0.1 is not in the cert's list",
    ),
    'TLS',
    PROVIDER_FAULT,
  ],
  ['ETLS handshake', net('ETLS', 'Error initiating TLS - socket hang up'), 'TLS', PROVIDER_FAULT],
  [
    'STARTTLS refused by server',
    reply('STARTTLS', 'ETLS', '502 5.5.1 STARTTLS not supported'),
    'TLS',
    PROVIDER_FAULT,
  ],
  [
    '454 TLS not available at STARTTLS',
    reply('STARTTLS', 'ETLS', '454 4.7.0 TLS not available due to local problem'),
    'TLS',
    PROVIDER_FAULT,
  ],
  [
    '530 must issue STARTTLS first',
    reply('MAIL FROM', 'EENVELOPE', '530 5.7.0 Must issue a STARTTLS command first'),
    'TLS',
    PROVIDER_FAULT,
  ],
  [
    '538 encryption required',
    reply('AUTH PLAIN', 'EAUTH', '538 5.7.11 Encryption required for requested authentication mechanism'),
    'TLS',
    PROVIDER_FAULT,
  ],
  [
    'EREQUIRETLS',
    {
      kind: 'smtp',
      code: 'EREQUIRETLS',
      command: 'MAIL FROM',
      message: 'Server does not support REQUIRETLS extension (RFC 8689)',
    },
    'TLS',
    PROVIDER_FAULT,
  ],
  // AUTH
  [
    '535 5.7.8 bad credentials',
    reply('AUTH PLAIN', 'EAUTH', `535 5.7.8 Authentication credentials invalid for ${secretB64}`),
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    '530 5.7.0 auth required at MAIL FROM',
    reply('MAIL FROM', 'EENVELOPE', '530 5.7.0 Authentication required'),
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    '534 5.7.9 mechanism too weak',
    reply('AUTH LOGIN', 'EAUTH', '534 5.7.9 Authentication mechanism is too weak'),
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    '454 4.7.0 temporary auth failure',
    reply('AUTH PLAIN', 'EAUTH', '454 4.7.0 Temporary authentication failure'),
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    'EAUTH without a reply',
    { kind: 'smtp', code: 'EAUTH', command: 'API', message: 'Missing credentials for "PLAIN"' },
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    'Microsoft 550 5.7.30 basic authentication not supported',
    reply('AUTH LOGIN', 'EAUTH', '550 5.7.30 Basic authentication is not supported for Client Submission.'),
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    'Microsoft 535 5.7.139 SMTP AUTH disabled for the tenant',
    reply(
      'AUTH LOGIN',
      'EAUTH',
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    ),
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    'XOAUTH2 token refused',
    reply('AUTH XOAUTH2', 'EAUTH', '535 5.7.3 Authentication unsuccessful'),
    'AUTH',
    PROVIDER_FAULT,
  ],
  [
    'OAuth2 grant refused by the token endpoint',
    tokenSource({ grantError: 'invalid_grant' }),
    'AUTH',
    PROVIDER_FAULT,
  ],
  // PROVIDER_UNAVAILABLE: the sign-in service, not the mailbox
  ['OAuth2 token endpoint failing', tokenSource(), 'PROVIDER_UNAVAILABLE', PROVIDER_FAULT],
  // RELAY_DENIED
  [
    '550 5.7.1 sender not allowed at MAIL FROM',
    reply('MAIL FROM', 'EENVELOPE', '550 5.7.1 Sender address rejected: not owned by user'),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    '553 5.7.1 at MAIL FROM',
    reply('MAIL FROM', 'EENVELOPE', '553 5.7.1 <a@example.com>: Sender address rejected'),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'Postfix relay denied at RCPT',
    reply('RCPT TO', 'EENVELOPE', '554 5.7.1 <x@elsewhere.test>: Relay access denied'),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    '553 5.1.8 bad sender domain at MAIL FROM',
    reply(
      'MAIL FROM',
      'EENVELOPE',
      '553 5.1.8 <a@nowhere.invalid>: Sender address rejected: Domain not found',
    ),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    '550 at MAIL FROM without an enhanced code',
    reply('MAIL FROM', 'EENVELOPE', '550 Sender not allowed'),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'relay words at RCPT without an enhanced code',
    reply('RCPT TO', 'EENVELOPE', '554 Relaying denied'),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    '554 5.7.1 at connect',
    reply('CONN', 'EPROTOCOL', '554 5.7.1 Your IP is listed'),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  // RATE_LIMITED
  [
    '421 4.7.0 throttling',
    reply('MAIL FROM', 'EENVELOPE', '421 4.7.0 Too many connections, try again later'),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  [
    '450 4.7.1 throttling at RCPT',
    reply('RCPT TO', 'EENVELOPE', '450 4.7.1 Rate limit exceeded'),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  [
    '451 4.7.1 throttling after DATA',
    reply('DATA', 'EMESSAGE', '451 4.7.1 Please try again later'),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  [
    '454 4.7.0 too many logins',
    reply('AUTH LOGIN', 'EAUTH', '454 4.7.0 Too many login attempts, please try again later'),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  [
    'Amazon SES throttling',
    reply('MAIL FROM', 'EENVELOPE', '454 Throttling failure: Maximum sending rate exceeded.'),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  [
    '421 with rate words, no enhanced code',
    reply('MAIL FROM', 'EENVELOPE', '421 Sending rate limit exceeded for this account'),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  // PROVIDER_UNAVAILABLE
  [
    '421 service closing at greeting',
    reply('CONN', 'EPROTOCOL', '421 mx.example.com Service not available, closing channel'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  [
    '421 at EHLO',
    reply('EHLO', 'ECONNECTION', '421 4.3.2 System shutting down'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  [
    '451 4.3.0 at MAIL FROM',
    reply('MAIL FROM', 'EENVELOPE', '451 4.3.0 Local error in processing'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  [
    '451 4.3.0 after DATA',
    reply('DATA', 'EMESSAGE', '451 4.3.0 Error: queue file write error'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  [
    '452 4.3.1 storage',
    reply('MAIL FROM', 'EENVELOPE', '452 4.3.1 Insufficient system storage'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  [
    '451 without an enhanced code',
    reply('MAIL FROM', 'EENVELOPE', '451 Requested action aborted'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  [
    '554 at greeting without an enhanced code',
    reply('CONN', 'EPROTOCOL', '554 No SMTP service here'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  [
    '452 4.5.3 too many recipients',
    reply('RCPT TO', 'EENVELOPE', '452 4.5.3 Too many recipients'),
    'PROVIDER_UNAVAILABLE',
    NOT_ILL,
  ],
  [
    '4.4.x routing at RCPT',
    reply('RCPT TO', 'EENVELOPE', '451 4.4.0 DNS temporary failure'),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  // RECIPIENT_REJECTED
  [
    'Postfix user unknown at RCPT',
    reply(
      'RCPT TO',
      'EENVELOPE',
      '550 5.1.1 <nobody@example.com>: Recipient address rejected: User unknown in local recipient table',
    ),
    'RECIPIENT_REJECTED',
    STOP,
  ],
  [
    '551 5.1.6 user not local',
    reply('RCPT TO', 'EENVELOPE', '551 5.1.6 User has moved'),
    'RECIPIENT_REJECTED',
    STOP,
  ],
  [
    '553 5.1.3 bad recipient syntax',
    reply('RCPT TO', 'EENVELOPE', '553 5.1.3 Bad recipient address syntax'),
    'RECIPIENT_REJECTED',
    STOP,
  ],
  [
    '552 5.2.2 mailbox full',
    reply('RCPT TO', 'EENVELOPE', '552 5.2.2 Mailbox full'),
    'RECIPIENT_REJECTED',
    STOP,
  ],
  [
    '550 5.2.1 mailbox disabled',
    reply('RCPT TO', 'EENVELOPE', '550 5.2.1 Mailbox disabled'),
    'RECIPIENT_REJECTED',
    STOP,
  ],
  [
    '550 at RCPT without an enhanced code',
    reply('RCPT TO', 'EENVELOPE', '550 No such user here'),
    'RECIPIENT_REJECTED',
    STOP,
  ],
  // MESSAGE_REJECTED
  [
    '552 5.3.4 too big after DATA',
    reply('DATA', 'EMESSAGE', '552 5.3.4 Message size exceeds fixed limit'),
    'MESSAGE_REJECTED',
    STOP,
  ],
  [
    '552 5.3.4 too big at MAIL FROM (SIZE)',
    reply('MAIL FROM', 'EENVELOPE', '552 5.3.4 Message size exceeds fixed maximum message size'),
    'MESSAGE_REJECTED',
    STOP,
  ],
  [
    '554 5.6.0 content',
    reply('DATA', 'EMESSAGE', '554 5.6.0 Message content rejected'),
    'MESSAGE_REJECTED',
    STOP,
  ],
  [
    '554 5.7.1 after DATA is content',
    reply('DATA', 'EMESSAGE', '554 5.7.1 Message rejected as spam'),
    'MESSAGE_REJECTED',
    STOP,
  ],
  [
    '554 after DATA without an enhanced code',
    reply('DATA', 'EMESSAGE', '554 Transaction failed'),
    'MESSAGE_REJECTED',
    STOP,
  ],
  [
    'nodemailer size check',
    {
      kind: 'smtp',
      code: 'EMESSAGE',
      command: 'MAIL FROM',
      message: 'Message size larger than allowed 1000',
    },
    'MESSAGE_REJECTED',
    STOP,
  ],
  [
    'invalid recipient address',
    { kind: 'smtp', code: 'EENVELOPE', command: 'API', message: 'Invalid recipient "a@b@c"' },
    'MESSAGE_REJECTED',
    STOP,
  ],
  // AMBIGUOUS
  [
    'lost after DATA content sent',
    net('ECONNECTION', 'Connection closed unexpectedly', { stage: 'after_data' }),
    'AMBIGUOUS',
    MAYBE_SENT,
  ],
  [
    'timeout waiting for the DATA reply',
    net('ETIMEDOUT', 'Timeout', { stage: 'after_data' }),
    'AMBIGUOUS',
    MAYBE_SENT,
  ],
  [
    'reset while sending content',
    net('ESOCKET', 'read ECONNRESET', { stage: 'data' }),
    'AMBIGUOUS',
    MAYBE_SENT,
  ],
  // CONFIG and UNKNOWN
  ['ECONFIG', { kind: 'smtp', code: 'ECONFIG', message: 'Invalid option' }, 'CONFIG', PROVIDER_FAULT],
  [
    'invalid From Email',
    { kind: 'smtp', code: 'EENVELOPE', command: 'API', message: 'Invalid sender "not an address"' },
    'CONFIG',
    PROVIDER_FAULT,
  ],
  ['unexplained error', { kind: 'smtp', message: 'something odd' }, 'UNKNOWN', PROVIDER_FAULT],
  ['invalid greeting without a reply', net('EPROTOCOL', 'Invalid greeting'), 'UNKNOWN', PROVIDER_FAULT],

  // HTTP answers, as the vendors document them
  ['HTTP 401 key', http('sendgrid', 401), 'AUTH', PROVIDER_FAULT],
  ['HTTP 403 key', http('resend', 403), 'AUTH', PROVIDER_FAULT],
  ['Mailgun 403 forbidden', http('mailgun', 403), 'AUTH', PROVIDER_FAULT],
  ['ZeptoMail 401 without a token', http('zeptomail', 401), 'AUTH', PROVIDER_FAULT],
  ['Postmark ErrorCode 10 bad token', http('postmark', 422, { vendorCode: '10' }), 'AUTH', PROVIDER_FAULT],
  ['HTTP 402 quota', http('sendgrid', 402), 'RATE_LIMITED', COOLDOWN],
  ['SparkPost 420 sending limit', http('sparkpost', 420), 'RATE_LIMITED', COOLDOWN],
  ['HTTP 429 with Retry-After', http('resend', 429, { retryAfterMs: 2000 }), 'RATE_LIMITED', COOLDOWN],
  ['Brevo 429', http('brevo', 429, { retryAfterMs: 60_000 }), 'RATE_LIMITED', COOLDOWN],
  ['Postmark ErrorCode 429', http('postmark', 422, { vendorCode: '429' }), 'RATE_LIMITED', COOLDOWN],
  [
    'ZeptoMail credits expired',
    http('zeptomail', 400, { vendorCode: 'TM_3501 LE_101' }),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  [
    'ZeptoMail daily limit',
    http('zeptomail', 400, { vendorCode: 'TM_3601 SMI_115' }),
    'RATE_LIMITED',
    COOLDOWN,
  ],
  ['HTTP 500', http('sendgrid', 500), 'PROVIDER_UNAVAILABLE', PROVIDER_FAULT],
  ['HTTP 503', http('sparkpost', 503), 'PROVIDER_UNAVAILABLE', PROVIDER_FAULT],
  ['Resend 451 security', http('resend', 451), 'PROVIDER_UNAVAILABLE', PROVIDER_FAULT],
  ['Mailgun 404 transient', http('mailgun', 404), 'PROVIDER_UNAVAILABLE', PROVIDER_FAULT],
  [
    'Postmark ErrorCode 100 maintenance',
    http('postmark', 422, { vendorCode: '100' }),
    'PROVIDER_UNAVAILABLE',
    PROVIDER_FAULT,
  ],
  ['HTTP 400 validation', http('sendgrid', 400), 'MESSAGE_REJECTED', STOP],
  ['HTTP 413 too large', http('postmark', 413), 'MESSAGE_REJECTED', STOP],
  ['HTTP 422 validation', http('resend', 422), 'MESSAGE_REJECTED', STOP],
  ['SparkPost 422 invalid', http('sparkpost', 422), 'MESSAGE_REJECTED', STOP],
  [
    'Postmark ErrorCode 300 invalid request',
    http('postmark', 422, { vendorCode: '300' }),
    'MESSAGE_REJECTED',
    STOP,
  ],
  [
    'ZeptoMail SM_113 invalid address',
    http('zeptomail', 400, { vendorCode: 'TM_4001 SM_113' }),
    'MESSAGE_REJECTED',
    STOP,
  ],
  ['Resend 409 idempotency conflict', http('resend', 409), 'MESSAGE_REJECTED', STOP],
  [
    'sender not verified (flag)',
    http('sendgrid', 403, { senderNotVerified: true }),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'ZeptoMail SM_111 sender domain',
    http('zeptomail', 400, { vendorCode: 'TM_4001 SM_111' }),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'Resend 403 domain not verified',
    http('resend', 403, { senderNotVerified: true }),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'Postmark ErrorCode 400 sender signature',
    http('postmark', 422, { vendorCode: '400' }),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'Postmark ErrorCode 401 unconfirmed signature',
    http('postmark', 422, { vendorCode: '401' }),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'Postmark ErrorCode 412 account pending',
    http('postmark', 422, { vendorCode: '412' }),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'ZeptoMail SERR_156 IP not allowed',
    http('zeptomail', 400, { vendorCode: 'TM_3601 SERR_156' }),
    'RELAY_DENIED',
    PROVIDER_FAULT,
  ],
  [
    'Postmark 406 inactive recipient',
    http('postmark', 422, { vendorCode: '406' }),
    'RECIPIENT_REJECTED',
    STOP,
  ],
  ['HTTP 404 wrong endpoint', http('brevo', 404), 'CONFIG', PROVIDER_FAULT],
  ['HTTP 418 unexplained', http('brevo', 418), 'UNKNOWN', PROVIDER_FAULT],

  // HTTP with no answer
  ['request sent, then timeout', httpNet({ timedOut: true, requestSent: true }), 'AMBIGUOUS', MAYBE_SENT],
  ['request sent, then reset', httpNet({ errno: 'ECONNRESET', requestSent: true }), 'AMBIGUOUS', MAYBE_SENT],
  ['timeout before the request went out', httpNet({ timedOut: true }), 'TIMEOUT', PROVIDER_FAULT],
  ['connect timeout from undici', httpNet({ errno: 'UND_ERR_CONNECT_TIMEOUT' }), 'TIMEOUT', PROVIDER_FAULT],
  ['connection refused', httpNet({ errno: 'ECONNREFUSED' }), 'CONNECTION', PROVIDER_FAULT],
  ['DNS failure', httpNet({ errno: 'ENOTFOUND' }), 'CONNECTION', PROVIDER_FAULT],
  ['reset before the request went out', httpNet({ errno: 'ECONNRESET' }), 'CONNECTION', PROVIDER_FAULT],
  ['certificate expired', httpNet({ errno: 'CERT_HAS_EXPIRED' }), 'TLS', PROVIDER_FAULT],
  [
    'https to a plain port',
    httpNet({ message: 'SSL routines::wrong version number' }),
    'TLS',
    PROVIDER_FAULT,
  ],
  ['unexplained network failure', httpNet({ message: 'fetch failed' }), 'CONNECTION', PROVIDER_FAULT],
];

describe('classifyFailure', () => {
  it.each(rows)('%s', (_name, evidence, category, expected) => {
    const failure = classifyFailure(evidence, [secret]);

    expect({
      category: failure.category,
      fallback: failure.fallback,
      counts: failure.countsAgainstHealth,
      retryable: failure.retryable,
      duplicate: failure.possibleDuplicate === true,
    }).toEqual({ category, ...expected });
    expect(failure.hint.en.length).toBeGreaterThan(20);
    expect(failure.hint.tr.length).toBeGreaterThan(20);
    expect(failure.hint.tr).not.toEqual(failure.hint.en);
    const serialised = JSON.stringify(failure);
    expect(serialised).not.toContain(secret);
    expect(serialised).not.toContain(secretB64);
    if (evidence.kind === 'smtp' && evidence.responseCode !== undefined) {
      expect(failure.smtpCode).toBe(evidence.responseCode);
      expect(failure.hint.en).toContain(String(evidence.responseCode));
    }
    if (evidence.kind === 'http') {
      expect(failure.httpStatus).toBe(evidence.status);
      expect(failure.retryAfterMs).toBe(evidence.retryAfterMs);
    }
  });
});

/** The OAuth2 and Microsoft sign-in rules: which row decides, and what the hint tells the operator to do. */
const signInRows: Array<[string, FailureEvidence, string, RegExp]> = [
  [
    'Microsoft 550 5.7.30 at AUTH',
    reply('AUTH LOGIN', 'EAUTH', '550 5.7.30 Basic authentication is not supported for Client Submission.'),
    'basic-auth-disabled',
    /^550 5\.7\.30: the tenant has turned password sign-in .* connect with OAuth2 .*re-enable SMTP AUTH/,
  ],
  [
    'Microsoft 535 5.7.139 tenant',
    reply(
      'AUTH LOGIN',
      'EAUTH',
      '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.',
    ),
    'basic-auth-disabled',
    /^535 5\.7\.139: the tenant has turned password sign-in/,
  ],
  [
    'Microsoft 535 5.7.139 basic authentication disabled',
    reply(
      'AUTH PLAIN',
      'EAUTH',
      '535 5.7.139 Authentication unsuccessful, basic authentication is disabled.',
    ),
    'basic-auth-disabled',
    /Sign in with Microsoft/,
  ],
  [
    'Microsoft 535 5.7.139 security defaults',
    reply(
      'AUTH LOGIN',
      'EAUTH',
      "535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator.",
    ),
    'basic-auth-disabled',
    /connect with OAuth2/,
  ],
  [
    'the words without an enhanced code',
    reply(
      'AUTH LOGIN',
      'EAUTH',
      '535 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox',
    ),
    'basic-auth-disabled-words',
    /re-enable SMTP AUTH for the mailbox/,
  ],
  [
    'any other 535 at a password login stays a credentials problem',
    reply('AUTH LOGIN', 'EAUTH', '535 5.7.3 Authentication unsuccessful'),
    'auth-535',
    /check Username and Password/,
  ],
  [
    'XOAUTH2 refused after the 334 challenge',
    reply('AUTH XOAUTH2', 'EAUTH', '535 Error: Username and Password not accepted'),
    'xoauth2-refused',
    /refused the OAuth2 access token, even a freshly issued one/,
  ],
  [
    'XOAUTH2 temporary failure stays temporary',
    reply('AUTH XOAUTH2', 'EAUTH', '454 4.7.0 Temporary authentication failure'),
    'auth-temporary',
    /temporary authentication failure/,
  ],
  [
    'dead grant',
    tokenSource({ grantError: 'invalid_grant', message: 'The OAuth2 grant was refused (invalid_grant).' }),
    'oauth2-grant-refused',
    /^invalid_grant: The OAuth2 sign-in of this provider was revoked or expired — open the provider in Security > Mail Providers and click Reconnect\.$/,
  ],
  [
    'token endpoint unreachable',
    tokenSource({ message: 'connect ECONNREFUSED 127.0.0.1:9' }),
    'oauth2-token-unavailable',
    /no access token could be obtained/,
  ],
];

describe('sign-in rules', () => {
  it.each(signInRows)('%s', (_name, evidence, ruleId, hint) => {
    expect(classificationRuleId(evidence)).toBe(ruleId);
    const failure = classifyFailure(evidence, [secret]);
    expect(failure.hint.en).toMatch(hint);
    expect(failure.stage).toBe('auth');
  });

  it('words the reconnect hint in Turkish too', () => {
    const failure = classifyFailure(tokenSource({ grantError: 'invalid_grant' }), []);
    expect(failure.hint.tr).toBe(
      'invalid_grant: Bu sağlayıcının OAuth2 oturumu iptal edilmiş ya da süresi dolmuş — sağlayıcıyı Güvenlik > E-posta Sağlayıcıları’nda açın ve Yeniden bağlan’a tıklayın.',
    );
  });
});
