import { pick, pickArray, pickString } from '../../transports/http/json-fields';
import {
  domainOfAddress,
  header,
  nonEmpty,
  retryAfterHeader,
  statusFor,
  type EmulatedVendor,
  type FailureReason,
  type Reply,
  type ScriptedFailure,
} from './emulated-vendor';

function sparkpostError(
  status: number,
  message: string,
  description?: string,
  code?: string,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers,
    body: { errors: [{ message, ...(description ? { description } : {}), ...(code ? { code } : {}) }] },
  };
}

const FAILURES: Record<FailureReason, (script: ScriptedFailure) => Reply> = {
  auth: (s) => sparkpostError(statusFor(s, 401), s.message ?? 'Unauthorized.'),
  sender_not_verified: (s) =>
    sparkpostError(
      statusFor(s, 400),
      s.message ?? 'Invalid domain',
      'Unconfigured Sending Domain <example.com>',
      '7001',
    ),
  validation: (s) =>
    sparkpostError(
      statusFor(s, 422),
      s.message ?? 'required field is missing',
      'content.subject is a required field',
      '1400',
    ),
  rate_limit: (s) =>
    sparkpostError(
      statusFor(s, 429),
      s.message ?? 'Too many requests',
      undefined,
      undefined,
      retryAfterHeader(s),
    ),
  quota: (s) =>
    sparkpostError(
      statusFor(s, 420),
      s.message ?? 'Exceed Sending Limit (daily)',
      'Daily sending limit exceeded',
      '2102',
    ),
  unavailable: (s) => sparkpostError(statusFor(s, 503), s.message ?? 'Service Unavailable'),
  inactive_recipient: (s) =>
    sparkpostError(
      statusFor(s, 422),
      s.message ?? 'invalid data format/type',
      'Invalid recipient address',
      '1300',
    ),
};

/** SparkPost: `POST /api/v1/transmissions`, `GET /api/v1/account`, the bare key in `Authorization`. */
export const sparkpostApi: EmulatedVendor = {
  vendor: 'sparkpost',
  route(method, path) {
    if (method === 'POST' && path === '/api/v1/transmissions') return 'send';
    if (method === 'GET' && path === '/api/v1/account') return 'verify';
    return undefined;
  },
  credential: (headers) => header(headers, 'authorization'),
  unauthorized: () => FAILURES.auth({}),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'content', 'from', 'email')),
  validate(request) {
    if (request.json === undefined)
      return sparkpostError(400, 'invalid data format/type', 'Invalid JSON', '1300');
    if (pickArray(request.json, 'recipients').length === 0) {
      return sparkpostError(422, 'required field is missing', 'recipients is a required field', '1400');
    }
    if (!nonEmpty(pick(request.json, 'content', 'from', 'email'))) {
      return sparkpostError(422, 'required field is missing', 'content.from is a required field', '1400');
    }
    if (!nonEmpty(pick(request.json, 'content', 'subject'))) {
      return sparkpostError(422, 'required field is missing', 'content.subject is a required field', '1400');
    }
    if (
      !nonEmpty(pick(request.json, 'content', 'text')) &&
      !nonEmpty(pick(request.json, 'content', 'html'))
    ) {
      return sparkpostError(
        422,
        'required field is missing',
        'content.text or content.html is required',
        '1400',
      );
    }
    return undefined;
  },
  senderNotVerified: (domain) =>
    sparkpostError(400, 'Invalid domain', `Unconfigured Sending Domain <${domain}>`, '7001'),
  accepted: (request, id) => ({
    status: 200,
    body: {
      results: {
        total_rejected_recipients: 0,
        total_accepted_recipients: pickArray(request.json, 'recipients').length,
        id,
      },
    },
  }),
  verified: (_request, state) =>
    state.access === 'send_only'
      ? sparkpostError(403, 'Forbidden.')
      : { status: 200, body: { results: { customer_id: 1, company_name: 'Emulated', status: 'active' } } },
  failure: (reason, script) => FAILURES[reason](script),
};
