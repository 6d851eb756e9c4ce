import { randomUUID } from 'node:crypto';
import { pick, pickString } from '../../transports/http/json-fields';
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

function resendError(
  status: number,
  name: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { statusCode: status, name, message } };
}

/** Resend answers 429 with `retry-after` and the IETF `ratelimit-*` headers. */
function rateLimitHeaders(script: ScriptedFailure): Record<string, string> {
  const seconds = String(script.retryAfterSeconds ?? 1);
  return {
    'retry-after': seconds,
    'ratelimit-limit': '2',
    'ratelimit-remaining': '0',
    'ratelimit-reset': seconds,
  };
}

const FAILURES: Record<FailureReason, (script: ScriptedFailure) => Reply> = {
  auth: (s) => resendError(statusFor(s, 403), 'invalid_api_key', s.message ?? 'API key is invalid'),
  sender_not_verified: (s) =>
    resendError(
      statusFor(s, 403),
      'validation_error',
      s.message ??
        'The example.com domain is not verified. Please, add and verify your domain on https://resend.com/domains',
    ),
  validation: (s) => resendError(statusFor(s, 422), 'validation_error', s.message ?? 'Invalid `to` field.'),
  rate_limit: (s) =>
    resendError(
      statusFor(s, 429),
      'rate_limit_exceeded',
      s.message ?? 'Too many requests. You can only make 2 requests per second.',
      rateLimitHeaders(s),
    ),
  quota: (s) =>
    resendError(
      statusFor(s, 429),
      'daily_quota_exceeded',
      s.message ?? 'You have reached your daily email sending quota.',
      rateLimitHeaders(s),
    ),
  unavailable: (s) =>
    resendError(statusFor(s, 500), 'internal_server_error', s.message ?? 'An unexpected error occurred.'),
  inactive_recipient: (s) =>
    resendError(statusFor(s, 422), 'validation_error', s.message ?? 'Invalid `to` field.'),
};

/** Resend: `POST /emails`, `GET /domains`, Bearer key; errors `{statusCode, name, message}`. */
export const resendApi: EmulatedVendor = {
  vendor: 'resend',
  route(method, path) {
    if (method === 'POST' && path === '/emails') return 'send';
    if (method === 'GET' && path === '/domains') return 'verify';
    return undefined;
  },
  credential: (headers) => schemeToken(headers, 'Bearer'),
  unauthorized: (presented) =>
    presented === undefined
      ? resendError(401, 'missing_api_key', 'Missing API key in the authorization header.')
      : FAILURES.auth({}),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'from')),
  validate(request) {
    if (request.json === undefined) return resendError(400, 'validation_error', 'Invalid JSON body.');
    for (const field of ['from', 'to', 'subject']) {
      if (!nonEmpty(pick(request.json, field))) {
        return resendError(422, 'missing_required_field', `Missing \`${field}\` field.`);
      }
    }
    if (!nonEmpty(pick(request.json, 'html')) && !nonEmpty(pick(request.json, 'text'))) {
      return resendError(422, 'validation_error', 'Missing `html` or `text` field.');
    }
    return undefined;
  },
  senderNotVerified: (domain) =>
    resendError(
      403,
      'validation_error',
      `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`,
    ),
  accepted: (_request, id) => ({ status: 200, body: { id } }),
  verified: (_request, state) => {
    if (state.access === 'send_only') {
      return resendError(401, 'restricted_api_key', 'This API key is restricted to only send emails');
    }
    const data = [...state.verifiedDomains].map((name) => ({ id: randomUUID(), name, status: 'verified' }));
    return { status: 200, body: { object: 'list', data } };
  },
  failure: (reason, script) => FAILURES[reason](script),
};
