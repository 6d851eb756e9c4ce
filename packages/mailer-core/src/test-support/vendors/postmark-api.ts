import { randomUUID } from 'node:crypto';
import { pickString } from '../../transports/http/json-fields';
import { defineVendor, domainOfAddress, header, lacks, type Reply } from './emulated-vendor';

/** Postmark's error body: its numeric `ErrorCode` and the words. */
function postmarkError(
  status: number,
  message: string,
  errorCode: number,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { ErrorCode: errorCode, Message: message } };
}

/** Postmark: `POST /email`, `GET /server`, `X-Postmark-Server-Token`; errors are 422 `{ErrorCode, Message}`. */
export const postmarkApi = defineVendor<number>({
  vendor: 'postmark',
  paths: { send: '/email', verify: '/server' },
  credential: (headers) => header(headers, 'x-postmark-server-token'),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'From')),
  validate(request) {
    if (request.json === undefined) return postmarkError(422, 'Received invalid JSON input.', 402);
    if (lacks(request.json, 'From')) return postmarkError(422, "Invalid 'From' address: ''.", 300);
    if (lacks(request.json, 'To')) return postmarkError(422, "Invalid 'To' address: ''.", 300);
    if (lacks(request.json, 'TextBody', 'HtmlBody')) {
      return postmarkError(422, 'Provide either email TextBody or HtmlBody or both.', 300);
    }
    return undefined;
  },
  accepted: (request, id) => ({
    status: 200,
    body: {
      To: pickString(request.json, 'To') ?? '',
      SubmittedAt: new Date().toISOString(),
      MessageID: id,
      ErrorCode: 0,
      Message: 'OK',
    },
  }),
  verified: () => ({ status: 200, body: { ID: 1, Name: 'Emulated server', ApiTokens: [randomUUID()] } }),
  error: postmarkError,
  failures: {
    auth: { status: 401, message: 'Request does not contain a valid Server token.', detail: 10 },
    sender_not_verified: {
      status: 422,
      message: "The 'From' address you supplied is not a Sender Signature on your account.",
      detail: 400,
    },
    validation: { status: 422, message: "Invalid 'To' address.", detail: 300 },
    rate_limit: { status: 429, message: 'Rate limit exceeded.', detail: 429, wait: true },
    quota: {
      status: 422,
      message: 'Your account is pending approval: it may only send to its own domain.',
      detail: 412,
    },
    unavailable: { status: 503, message: 'Maintenance', detail: 100 },
    inactive_recipient: {
      status: 422,
      message: 'You tried to send to recipient(s) that have been marked as inactive.',
      detail: 406,
    },
  },
});
