import { pickArray, pickString } from '../../transports/http/json-fields';
import { defineVendor, domainOfAddress, header, lacks, type Reply } from './emulated-vendor';

/** What a SparkPost error adds to its message: the longer description and the numeric code. */
interface ErrorDetail {
  description?: string;
  code?: string;
}

function sparkpostError(
  status: number,
  message: string,
  { description, code }: ErrorDetail = {},
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers,
    body: { errors: [{ message, ...(description ? { description } : {}), ...(code ? { code } : {}) }] },
  };
}

/** The 422 SparkPost answers for a required field that is missing. */
function requiredField(description: string): Reply {
  return sparkpostError(422, 'required field is missing', { description, code: '1400' });
}

/** SparkPost: `POST /api/v1/transmissions`, `GET /api/v1/account`, the bare key in `Authorization`. */
export const sparkpostApi = defineVendor<ErrorDetail>({
  vendor: 'sparkpost',
  paths: { send: '/api/v1/transmissions', verify: '/api/v1/account' },
  credential: (headers) => header(headers, 'authorization'),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'content', 'from', 'email')),
  validate(request) {
    if (request.json === undefined) {
      return sparkpostError(400, 'invalid data format/type', { description: 'Invalid JSON', code: '1300' });
    }
    if (pickArray(request.json, 'recipients').length === 0) {
      return requiredField('recipients is a required field');
    }
    if (lacks(request.json, 'content.from.email')) return requiredField('content.from is a required field');
    if (lacks(request.json, 'content.subject')) return requiredField('content.subject is a required field');
    if (lacks(request.json, 'content.text', 'content.html')) {
      return requiredField('content.text or content.html is required');
    }
    return undefined;
  },
  senderNotVerified: (domain) =>
    sparkpostError(400, 'Invalid domain', {
      description: `Unconfigured Sending Domain <${domain}>`,
      code: '7001',
    }),
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
  error: sparkpostError,
  failures: {
    auth: { status: 401, message: 'Unauthorized.', detail: {} },
    sender_not_verified: {
      status: 400,
      message: 'Invalid domain',
      detail: { description: 'Unconfigured Sending Domain <example.com>', code: '7001' },
    },
    validation: {
      status: 422,
      message: 'required field is missing',
      detail: { description: 'content.subject is a required field', code: '1400' },
    },
    rate_limit: { status: 429, message: 'Too many requests', detail: {}, wait: true },
    quota: {
      status: 420,
      message: 'Exceed Sending Limit (daily)',
      detail: { description: 'Daily sending limit exceeded', code: '2102' },
    },
    unavailable: { status: 503, message: 'Service Unavailable', detail: {} },
    inactive_recipient: {
      status: 422,
      message: 'invalid data format/type',
      detail: { description: 'Invalid recipient address', code: '1300' },
    },
  },
});
