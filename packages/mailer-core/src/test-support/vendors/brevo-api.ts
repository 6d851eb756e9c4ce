import { pick, pickString } from '../../transports/http/json-fields';
import {
  domainOfAddress,
  header,
  nonEmpty,
  statusFor,
  type EmulatedVendor,
  type FailureReason,
  type Reply,
  type ScriptedFailure,
} from './emulated-vendor';

function brevoError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { code, message } };
}

/** Brevo tells the wait in `x-sib-ratelimit-reset`, in seconds. */
function rateLimitHeaders(script: ScriptedFailure): Record<string, string> {
  return {
    'x-sib-ratelimit-limit': '1000',
    'x-sib-ratelimit-remaining': '0',
    'x-sib-ratelimit-reset': String(script.retryAfterSeconds ?? 1),
  };
}

const FAILURES: Record<FailureReason, (script: ScriptedFailure) => Reply> = {
  auth: (s) => brevoError(statusFor(s, 401), 'unauthorized', s.message ?? 'Key not found'),
  sender_not_verified: (s) =>
    brevoError(
      statusFor(s, 400),
      'invalid_parameter',
      s.message ??
        'Sending has been rejected because the sender you used is not valid. Validate your sender or authenticate your domain',
    ),
  validation: (s) => brevoError(statusFor(s, 400), 'missing_parameter', s.message ?? 'subject is missing'),
  rate_limit: (s) =>
    brevoError(statusFor(s, 429), 'too_many_requests', s.message ?? 'Too many requests', rateLimitHeaders(s)),
  quota: (s) => brevoError(statusFor(s, 402), 'not_enough_credits', s.message ?? 'Not enough credits'),
  unavailable: (s) =>
    brevoError(statusFor(s, 503), 'service_unavailable', s.message ?? 'Service temporarily unavailable'),
  inactive_recipient: (s) =>
    brevoError(statusFor(s, 400), 'invalid_parameter', s.message ?? 'email is not valid in to'),
};

/** Brevo: `POST /v3/smtp/email` (201 `messageId`), `GET /v3/account`, `api-key` header. */
export const brevoApi: EmulatedVendor = {
  vendor: 'brevo',
  route(method, path) {
    if (method === 'POST' && path === '/v3/smtp/email') return 'send';
    if (method === 'GET' && path === '/v3/account') return 'verify';
    return undefined;
  },
  credential: (headers) => header(headers, 'api-key'),
  unauthorized: () => FAILURES.auth({}),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'sender', 'email')),
  validate(request) {
    if (request.json === undefined) return brevoError(400, 'bad_request', 'Invalid JSON');
    if (!nonEmpty(pick(request.json, 'sender', 'email')))
      return brevoError(400, 'missing_parameter', 'sender is missing');
    if (!nonEmpty(pick(request.json, 'to'))) return brevoError(400, 'missing_parameter', 'to is missing');
    if (!nonEmpty(pick(request.json, 'subject')))
      return brevoError(400, 'missing_parameter', 'subject is missing');
    if (!nonEmpty(pick(request.json, 'htmlContent')) && !nonEmpty(pick(request.json, 'textContent'))) {
      return brevoError(400, 'missing_parameter', 'htmlContent or textContent is missing');
    }
    return undefined;
  },
  senderNotVerified: () => FAILURES.sender_not_verified({}),
  accepted: (_request, id) => ({ status: 201, body: { messageId: `<${id}@smtp-relay.mailin.fr>` } }),
  verified: () => ({
    status: 200,
    body: { email: 'owner@example.com', companyName: 'Emulated', plan: [{ type: 'free', credits: 300 }] },
  }),
  failure: (reason, script) => FAILURES[reason](script),
};
