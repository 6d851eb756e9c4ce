import { pickString } from '../../transports/http/json-fields';
import { defineVendor, domainOfAddress, header, lacks, type Reply } from './emulated-vendor';

/** Brevo's error body: a code such as `missing_parameter` and the words. */
function brevoError(
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { code, message } };
}

/** Brevo: `POST /v3/smtp/email` (201 `messageId`), `GET /v3/account`, `api-key` header. */
export const brevoApi = defineVendor<string>({
  vendor: 'brevo',
  paths: { send: '/v3/smtp/email', verify: '/v3/account' },
  credential: (headers) => header(headers, 'api-key'),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'sender', 'email')),
  validate(request) {
    if (request.json === undefined) return brevoError(400, 'Invalid JSON', 'bad_request');
    if (lacks(request.json, 'sender.email')) return brevoError(400, 'sender is missing', 'missing_parameter');
    if (lacks(request.json, 'to')) return brevoError(400, 'to is missing', 'missing_parameter');
    if (lacks(request.json, 'subject')) return brevoError(400, 'subject is missing', 'missing_parameter');
    if (lacks(request.json, 'htmlContent', 'textContent')) {
      return brevoError(400, 'htmlContent or textContent is missing', 'missing_parameter');
    }
    return undefined;
  },
  accepted: (_request, id) => ({ status: 201, body: { messageId: `<${id}@smtp-relay.mailin.fr>` } }),
  verified: () => ({
    status: 200,
    body: { email: 'owner@example.com', companyName: 'Emulated', plan: [{ type: 'free', credits: 300 }] },
  }),
  error: brevoError,
  // Brevo tells the wait in `x-sib-ratelimit-reset`, in seconds.
  waitHeaders: (script) => {
    return {
      'x-sib-ratelimit-limit': '1000',
      'x-sib-ratelimit-remaining': '0',
      'x-sib-ratelimit-reset': String(script.retryAfterSeconds ?? 1),
    };
  },
  failures: {
    auth: { status: 401, message: 'Key not found', detail: 'unauthorized' },
    sender_not_verified: {
      status: 400,
      message:
        'Sending has been rejected because the sender you used is not valid. Validate your sender or authenticate your domain',
      detail: 'invalid_parameter',
    },
    validation: { status: 400, message: 'subject is missing', detail: 'missing_parameter' },
    rate_limit: { status: 429, message: 'Too many requests', detail: 'too_many_requests', wait: true },
    quota: { status: 402, message: 'Not enough credits', detail: 'not_enough_credits' },
    unavailable: { status: 503, message: 'Service temporarily unavailable', detail: 'service_unavailable' },
    inactive_recipient: { status: 400, message: 'email is not valid in to', detail: 'invalid_parameter' },
  },
});
