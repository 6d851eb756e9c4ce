import { randomUUID } from 'node:crypto';
import { pickString } from '../../transports/http/json-fields';
import { defineVendor, domainOfAddress, lacks, schemeToken, type Reply } from './emulated-vendor';

/** Resend's error body: the status again, an error name such as `validation_error`, and the words. */
function resendError(
  status: number,
  message: string,
  name: string,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { statusCode: status, name, message } };
}

/** Resend: `POST /emails`, `GET /domains`, Bearer key; errors `{statusCode, name, message}`. */
export const resendApi = defineVendor<string>({
  vendor: 'resend',
  paths: { send: '/emails', verify: '/domains' },
  credential: (headers) => schemeToken(headers, 'Bearer'),
  missingKey: () => resendError(401, 'Missing API key in the authorization header.', 'missing_api_key'),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'from')),
  validate(request) {
    if (request.json === undefined) return resendError(400, 'Invalid JSON body.', 'validation_error');
    for (const field of ['from', 'to', 'subject']) {
      if (lacks(request.json, field)) {
        return resendError(422, `Missing \`${field}\` field.`, 'missing_required_field');
      }
    }
    if (lacks(request.json, 'html', 'text')) {
      return resendError(422, 'Missing `html` or `text` field.', 'validation_error');
    }
    return undefined;
  },
  senderNotVerified: (domain) =>
    resendError(
      403,
      `The ${domain} domain is not verified. Please, add and verify your domain on https://resend.com/domains`,
      'validation_error',
    ),
  accepted: (_request, id) => ({ status: 200, body: { id } }),
  verified: (_request, state) => {
    if (state.access === 'send_only') {
      return resendError(401, 'This API key is restricted to only send emails', 'restricted_api_key');
    }
    const data = [...state.verifiedDomains].map((name) => ({ id: randomUUID(), name, status: 'verified' }));
    return { status: 200, body: { object: 'list', data } };
  },
  error: resendError,
  // Resend answers 429 with `retry-after` and the IETF `ratelimit-*` headers.
  waitHeaders: (script) => {
    const seconds = String(script.retryAfterSeconds ?? 1);
    return {
      'retry-after': seconds,
      'ratelimit-limit': '2',
      'ratelimit-remaining': '0',
      'ratelimit-reset': seconds,
    };
  },
  failures: {
    auth: { status: 403, message: 'API key is invalid', detail: 'invalid_api_key' },
    sender_not_verified: {
      status: 403,
      message:
        'The example.com domain is not verified. Please, add and verify your domain on https://resend.com/domains',
      detail: 'validation_error',
    },
    validation: { status: 422, message: 'Invalid `to` field.', detail: 'validation_error' },
    rate_limit: {
      status: 429,
      message: 'Too many requests. You can only make 2 requests per second.',
      detail: 'rate_limit_exceeded',
      wait: true,
    },
    quota: {
      status: 429,
      message: 'You have reached your daily email sending quota.',
      detail: 'daily_quota_exceeded',
      wait: true,
    },
    unavailable: { status: 500, message: 'An unexpected error occurred.', detail: 'internal_server_error' },
    inactive_recipient: { status: 422, message: 'Invalid `to` field.', detail: 'validation_error' },
  },
});
