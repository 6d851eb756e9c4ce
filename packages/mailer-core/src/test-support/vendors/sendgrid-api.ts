import { pickArray, pickString } from '../../transports/http/json-fields';
import { defineVendor, domainOfAddress, lacks, schemeToken, type Reply } from './emulated-vendor';

/** SendGrid's error body: a list of errors, each naming the field it is about (or null). */
function sendgridError(
  status: number,
  message: string,
  field: string | null = null,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { errors: [{ field, message, help: null }] } };
}

/** SendGrid v3: `POST /v3/mail/send` (202, `X-Message-Id`), `GET /v3/scopes`, Bearer key. */
export const sendgridApi = defineVendor<string | null>({
  vendor: 'sendgrid',
  paths: { send: '/v3/mail/send', verify: '/v3/scopes' },
  credential: (headers) => schemeToken(headers, 'Bearer'),
  missingKey: () => sendgridError(401, 'authorization required'),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'from', 'email')),
  validate(request) {
    if (request.json === undefined) return sendgridError(400, 'Bad Request', null);
    if (lacks(request.json, 'personalizations.0.to')) {
      return sendgridError(
        400,
        'The to array is required for all personalization objects.',
        'personalizations.0.to',
      );
    }
    if (lacks(request.json, 'from.email'))
      return sendgridError(400, 'The from email is required.', 'from.email');
    if (lacks(request.json, 'subject')) return sendgridError(400, 'The subject is required.', 'subject');
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
  accepted: (_request, id) => ({ status: 202, headers: { 'x-message-id': id } }),
  verified: (_request, state) => {
    const scopes = {
      full: ['mail.send', 'user.profile.read'],
      send_only: ['mail.send'],
      no_send: ['user.profile.read'],
    };
    return { status: 200, body: { scopes: scopes[state.access] } };
  },
  error: sendgridError,
  // SendGrid sends no Retry-After: its 429 carries X-RateLimit-* with Reset in epoch seconds.
  waitHeaders: (script) => {
    const reset = Math.ceil(Date.now() / 1000) + (script.retryAfterSeconds ?? 1);
    return { 'x-ratelimit-limit': '600', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(reset) };
  },
  failures: {
    auth: {
      status: 401,
      message: 'The provided authorization grant is invalid, expired, or revoked',
      detail: null,
    },
    sender_not_verified: {
      status: 403,
      message:
        'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.',
      detail: 'from',
    },
    validation: { status: 400, message: 'The subject is required.', detail: 'subject' },
    rate_limit: { status: 429, message: 'too many requests', detail: null, wait: true },
    quota: { status: 429, message: 'Maximum credits exceeded', detail: null, wait: true },
    unavailable: { status: 503, message: 'Service Unavailable', detail: null },
    inactive_recipient: {
      status: 400,
      message: 'Does not contain a valid address.',
      detail: 'personalizations.0.to.0.email',
    },
  },
});
