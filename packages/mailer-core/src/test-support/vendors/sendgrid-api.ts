import { pick, pickArray, pickString } from '../../transports/http/json-fields';
import {
  domainOfAddress,
  nonEmpty,
  schemeToken,
  statusFor,
  type EmulatedVendor,
  type FailureReason,
  type Reply,
  type ScriptedFailure,
} from './emulated-vendor';

function sendgridError(
  status: number,
  message: string,
  field: string | null = null,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { errors: [{ field, message, help: null }] } };
}

/** SendGrid sends no Retry-After: its 429 carries X-RateLimit-* with Reset in epoch seconds. */
function rateLimitHeaders(script: ScriptedFailure): Record<string, string> {
  const reset = Math.ceil(Date.now() / 1000) + (script.retryAfterSeconds ?? 1);
  return { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) };
}

const FAILURES: Record<FailureReason, (script: ScriptedFailure) => Reply> = {
  auth: (s) =>
    sendgridError(
      statusFor(s, 401),
      s.message ?? 'The provided authorization grant is invalid, expired, or revoked',
    ),
  sender_not_verified: (s) =>
    sendgridError(
      statusFor(s, 403),
      s.message ??
        'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
      'from',
    ),
  validation: (s) => sendgridError(statusFor(s, 400), s.message ?? 'The subject is required.', 'subject'),
  rate_limit: (s) =>
    sendgridError(statusFor(s, 429), s.message ?? 'too many requests', null, rateLimitHeaders(s)),
  quota: (s) =>
    sendgridError(statusFor(s, 429), s.message ?? 'Maximum credits exceeded', null, rateLimitHeaders(s)),
  unavailable: (s) => sendgridError(statusFor(s, 503), s.message ?? 'Service Unavailable'),
  inactive_recipient: (s) =>
    sendgridError(
      statusFor(s, 400),
      s.message ?? 'Does not contain a valid address.',
      'personalizations.0.to.0.email',
    ),
};

/** SendGrid v3: `POST /v3/mail/send` (202, `X-Message-Id`), `GET /v3/scopes`, Bearer key. */
export const sendgridApi: EmulatedVendor = {
  vendor: 'sendgrid',
  route(method, path) {
    if (method === 'POST' && path === '/v3/mail/send') return 'send';
    if (method === 'GET' && path === '/v3/scopes') return 'verify';
    return undefined;
  },
  credential: (headers) => schemeToken(headers, 'Bearer'),
  unauthorized: (presented) =>
    presented === undefined ? sendgridError(401, 'authorization required') : FAILURES.auth({}),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'from', 'email')),
  validate(request) {
    if (request.json === undefined) return sendgridError(400, 'Bad Request', null);
    if (!nonEmpty(pick(request.json, 'personalizations', 0, 'to'))) {
      return sendgridError(
        400,
        'The to array is required for all personalization objects.',
        'personalizations.0.to',
      );
    }
    if (!nonEmpty(pick(request.json, 'from', 'email')))
      return sendgridError(400, 'The from email is required.', 'from.email');
    if (!nonEmpty(pick(request.json, 'subject')))
      return sendgridError(400, 'The subject is required.', 'subject');
    const content = pickArray(request.json, 'content');
    if (content.length === 0)
      return sendgridError(
        400,
        'Unless a valid template_id is provided, the content parameter is required.',
        'content',
      );
    if (
      pickString(content[0], 'type') !== 'text/plain' &&
      content.some((part) => pickString(part, 'type') === 'text/plain')
    ) {
      return sendgridError(400, 'If present, text/plain must be first, followed by text/html.', 'content');
    }
    return undefined;
  },
  senderNotVerified: () => FAILURES.sender_not_verified({}),
  accepted: (_request, id) => ({ status: 202, headers: { 'x-message-id': id } }),
  verified: (_request, state) => {
    const scopes = {
      full: ['mail.send', 'user.profile.read'],
      send_only: ['mail.send'],
      no_send: ['user.profile.read'],
    };
    return { status: 200, body: { scopes: scopes[state.access] } };
  },
  failure: (reason, script) => FAILURES[reason](script),
};
