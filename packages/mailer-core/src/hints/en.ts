import type { HintCatalog, HintContext } from './index';

/** Prefixes the provider's code when there is one, so the operator can search for it. */
function withCode(fallback: string, text: string): (context: HintContext) => string {
  return (context) => `${context.code ?? fallback}: ${text}`;
}

function waitFor(context: HintContext): string {
  return context.retryAfterSeconds !== undefined
    ? ` The provider asked to wait ${context.retryAfterSeconds} s; it is skipped until then.`
    : ' It is skipped for a short cooldown.';
}

/** English hint texts. */
export const en: HintCatalog = {
  connectionRefused: withCode(
    'ECONNREFUSED',
    'nothing accepts connections on this SMTP Host and Port — check both, and that a firewall does not block the port.',
  ),
  dnsFailure: withCode(
    'ENOTFOUND',
    'the SMTP Host name could not be resolved — check it for typos (no scheme, no path) and that this server can reach its DNS.',
  ),
  connectionReset: withCode(
    'ECONNRESET',
    'the server dropped the connection before the message was handed over — usually a firewall or a busy server; nothing was sent, the next provider is tried.',
  ),
  connectionClosed: withCode(
    'ECONNECTION',
    'the server closed the connection before the message was handed over; nothing was sent. If it repeats, check Port and Encryption and the provider status page.',
  ),
  networkUnreachable: withCode(
    'EHOSTUNREACH',
    'the SMTP Host cannot be reached from this server — check routing and outbound firewall rules.',
  ),
  networkError: withCode(
    'network error',
    'the request did not reach the provider — check the host, the network and outbound firewall rules.',
  ),
  notSmtp: withCode(
    'EPROTOCOL',
    'the server on this Host and Port does not speak SMTP — check the Port (usually 587 for STARTTLS or 465 for SSL/TLS).',
  ),
  outboundRefused: withCode(
    'address refused',
    'this server does not connect to the provider’s address (loopback, private, link-local or another reserved range). If the provider really is on your own network, add its host name or range to ALLOWED_PROVIDER_HOSTS; link-local, cloud metadata, multicast and unspecified addresses are never allowed.',
  ),
  connectTimeout: withCode(
    'ETIMEDOUT',
    'no TCP connection within the time limit — the host is down or a firewall silently drops the port; check SMTP Host and Port.',
  ),
  greetingTimeout: withCode(
    'greeting timeout',
    'connected, but the server never greeted. If the Port is 465, choose SSL/TLS (465 expects TLS from the first byte); otherwise the server is overloaded or hung.',
  ),
  socketTimeout: withCode(
    'ETIMEDOUT',
    'the server stopped answering before the message was handed over; nothing was sent. If it repeats, the provider is overloaded.',
  ),
  httpTimeout: withCode(
    'timeout',
    'the API did not answer before the request was sent in full; nothing was delivered. Check the API host and the provider status page.',
  ),
  tlsWrongVersion: withCode(
    'wrong version number',
    'SSL/TLS was chosen for a STARTTLS port — use STARTTLS on 587 or SSL/TLS on 465.',
  ),
  tlsCertificate: withCode(
    'certificate error',
    "the server's TLS certificate is not trusted — check that SMTP Host is the name on the certificate (not an IP or an alias); for a private CA, add that CA to the provider's TLS settings.",
  ),
  tlsHandshake: withCode(
    'TLS error',
    'the TLS handshake failed — check that Encryption matches the Port (SSL/TLS on 465, STARTTLS on 587) and that the server supports TLS 1.2 or newer.',
  ),
  tlsRequired: withCode(
    '530',
    'the server requires encryption before login — choose STARTTLS on 587 or SSL/TLS on 465 instead of None.',
  ),
  starttlsRefused: withCode(
    'STARTTLS',
    'the server does not offer STARTTLS on this port. If the Port is 465, choose SSL/TLS; otherwise ask the provider for its STARTTLS port (usually 587).',
  ),
  requireTlsUnsupported: withCode(
    'EREQUIRETLS',
    'the server does not support the REQUIRETLS extension this message asked for — send without it or use a provider that supports it.',
  ),
  authFailed: withCode(
    '535 5.7.8',
    'the server refused the login — check Username and Password (for API services use the SMTP credentials or key the vendor documents, not the account password).',
  ),
  authRequired: withCode('530 5.7.0', 'the server requires a login — fill in Username and Password.'),
  authMechanism: withCode(
    '534',
    'the server refuses this login method over this connection — choose STARTTLS or SSL/TLS so the password travels encrypted, or use app-specific credentials.',
  ),
  authMissingCredentials: withCode(
    'EAUTH',
    'the server asks for a login but no Username/Password is configured — fill in both.',
  ),
  authTemporary: withCode(
    '454 4.7.0',
    'temporary authentication failure at the server — retry later; if it persists, check Username and Password.',
  ),
  basicAuthDisabled: withCode(
    '535 5.7.139',
    'the tenant has turned password sign-in (SMTP basic authentication) off for this mailbox — connect with OAuth2 (choose Sign in with Microsoft in the provider form), or have the tenant admin re-enable SMTP AUTH for the mailbox.',
  ),
  oauthTokenRefused: withCode(
    '535',
    'the server refused the OAuth2 access token, even a freshly issued one — check that Username is the mailbox that signed in, that the app has the SMTP.Send permission and SMTP AUTH is enabled for the mailbox; if it persists, click Reconnect in Security > Mail Providers.',
  ),
  oauthGrantRevoked: withCode(
    'invalid_grant',
    'The OAuth2 sign-in of this provider was revoked or expired — open the provider in Security > Mail Providers and click Reconnect.',
  ),
  oauthTokenUnavailable: withCode(
    'OAuth2',
    'no access token could be obtained because the sign-in service did not answer or failed; nothing was sent. The next provider is tried and the sign-in is retried later; if it persists, check that this server can reach the token endpoint.',
  ),
  httpAuth: withCode(
    'HTTP 401',
    'the API key was refused — paste a valid key with sending permission into Password, and check the API host region (EU/US) matches the account.',
  ),
  relayDenied: (context) =>
    `${context.code ?? '550 5.7.1'} relay not allowed: this account may not send from this address or without login — check Username/Password and that From Email is a verified sender.`,
  relayDeniedAtRcpt: withCode(
    '554 5.7.1',
    'relay access denied: the server will not pass mail on for this account — log in (Username/Password) and make sure From Email is a sender this provider accepts.',
  ),
  senderRejected: withCode(
    '553 5.1.8',
    'the server refused the From Email address — check it is valid, its domain exists, and it is allowed for this account.',
  ),
  httpSenderNotVerified: withCode(
    'sender not verified',
    "the From Email or its domain is not verified at this provider — verify the domain (SPF/DKIM) or sender in the vendor's dashboard, or use a From Email that is.",
  ),
  httpAccountRestricted: withCode(
    'account restricted',
    'the provider does not let this account send right now (blocked, pending review or not allowed) — check the account in the vendor dashboard.',
  ),
  httpIpNotAllowed: withCode(
    'IP not allowed',
    "this server's IP address is not on the provider's allow list — add it in the vendor dashboard.",
  ),
  smtpThrottled: (context) =>
    `${context.code ?? '421 4.7.0'}: the provider is throttling this account (too many messages or connections).${waitFor(context)}`,
  sesThrottled: (context) =>
    `${context.code ?? '454'}: Amazon SES maximum sending rate exceeded — raise the sending quota or slow down.${waitFor(context)}`,
  httpRateLimited: (context) =>
    `${context.code ?? 'HTTP 429'}: the API rate limit was reached.${waitFor(context)}`,
  httpQuota: (context) =>
    `${context.code ?? 'HTTP 402'}: the account's sending quota or credits are used up — buy credits or raise the plan's limit.${waitFor(context)}`,
  serviceClosing: withCode(
    '421',
    'the server is closing the connection (maintenance or overload) — the next provider is tried; check the provider status page if it repeats.',
  ),
  greetingRefused: withCode(
    '554',
    "the server refused the connection at once — this server's IP may be blocked, or there is no SMTP service for you on this port.",
  ),
  localError: withCode(
    '451 4.3.0',
    'a temporary error at the provider — the next provider is tried and the message is retried later.',
  ),
  storageFull: withCode(
    '452 4.3.1',
    'the provider is out of storage for now — the next provider is tried and the message is retried later.',
  ),
  tooManyRecipients: withCode(
    '452 4.5.3',
    'too many recipients for one message at this provider — send to fewer recipients per message.',
  ),
  providerTransient: withCode(
    '4xx',
    'the provider reported a temporary problem — the next provider is tried and the message is retried later.',
  ),
  providerUnavailable: withCode(
    '5xx',
    'the provider refused for a reason of its own — check the provider status page and the account.',
  ),
  httpServerError: withCode(
    'HTTP 5xx',
    'the API has a server-side error — the next provider is tried and the message is retried later.',
  ),
  httpNotFoundTransient: withCode(
    'HTTP 404',
    'the API answered 404, which this vendor documents as possibly transient — check the sending domain exists for this account; the message is retried.',
  ),
  httpWrongEndpoint: withCode(
    'HTTP 404',
    'the API endpoint was not found — check the API host (region) of this provider.',
  ),
  notVendorApi: withCode(
    'HTTP 200',
    'the host answered, but not as this vendor’s API — check the API host and port of this provider, and that no proxy or login page answers in its place.',
  ),
  recipientUnknown: withCode(
    '550 5.1.1',
    'the recipient address does not exist — check the spelling; another provider would get the same answer, so it is not tried.',
  ),
  recipientMailboxFull: withCode(
    '552 5.2.2',
    "the recipient's mailbox is full — ask them to free space; another provider would get the same answer.",
  ),
  recipientRejected: withCode(
    '550',
    "the recipient's server refused this address — check it; another provider would get the same answer.",
  ),
  httpInactiveRecipient: withCode(
    'inactive recipient',
    'the provider has deactivated this recipient (earlier hard bounce or spam complaint) — reactivate it in the vendor dashboard if the address is good again.',
  ),
  messageTooBig: withCode(
    '552 5.3.4',
    'the message is too big for the provider — make attachments smaller or send a link instead.',
  ),
  messageContent: withCode(
    '554 5.6.0',
    'the provider refused the content of the message (format or encoding) — check attachments and headers; another provider would likely refuse it too.',
  ),
  messagePolicy: withCode(
    '554 5.7.1',
    'the provider refused the message content by policy (spam or virus filter) — review the text, links and attachments.',
  ),
  messageRejected: withCode(
    '554',
    'the provider refused this message — read its words above; another provider would likely refuse it too.',
  ),
  invalidRecipientAddress: withCode(
    'EENVELOPE',
    'a recipient address is not valid — correct it and send again.',
  ),
  noRecipients: withCode('EENVELOPE', 'the message has no recipient — add at least one To address.'),
  httpValidation: withCode(
    'HTTP 400',
    'the API refused the request as invalid — read the field named in the message above (addresses, subject, attachments).',
  ),
  httpTooLarge: withCode(
    'HTTP 413',
    'the message is larger than the API accepts — make attachments smaller.',
  ),
  httpIdempotencyConflict: withCode(
    'HTTP 409',
    'the provider already has a request with this idempotency key — the message was probably sent; check before sending again.',
  ),
  ambiguousAfterData: withCode(
    'connection lost after DATA',
    'the message was handed over but the server did not confirm it — it may arrive twice, because the next provider is tried too.',
  ),
  ambiguousHttp: withCode(
    'no answer',
    'the request was sent but no answer came — the message may arrive twice, because the next provider is tried too.',
  ),
  invalidSender: withCode(
    'EENVELOPE',
    'the From Email of this provider is not a valid address — correct it in the provider settings.',
  ),
  config: withCode(
    'ECONFIG',
    'the provider settings are not usable — check Host, Port, Encryption and the TLS options.',
  ),
  protocolError: withCode(
    'EPROTOCOL',
    'the server answered outside the SMTP protocol — check the Port, or a proxy in between.',
  ),
  unknown: withCode(
    'error',
    'an unexpected failure — the next provider is tried; if it repeats, send the message above to the provider support.',
  ),
};
