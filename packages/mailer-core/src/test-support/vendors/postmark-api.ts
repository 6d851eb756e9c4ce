import { randomUUID } from 'node:crypto';
import { pick, pickString } from '../../transports/http/json-fields';
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

function postmarkError(
  status: number,
  errorCode: number,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return { status, headers, body: { ErrorCode: errorCode, Message: message } };
}

const FAILURES: Record<FailureReason, (script: ScriptedFailure) => Reply> = {
  auth: (s) =>
    postmarkError(statusFor(s, 401), 10, s.message ?? 'Request does not contain a valid Server token.'),
  sender_not_verified: (s) =>
    postmarkError(
      statusFor(s, 422),
      400,
      s.message ?? "The 'From' address you supplied is not a Sender Signature on your account.",
    ),
  validation: (s) => postmarkError(statusFor(s, 422), 300, s.message ?? "Invalid 'To' address."),
  rate_limit: (s) =>
    postmarkError(statusFor(s, 429), 429, s.message ?? 'Rate limit exceeded.', retryAfterHeader(s)),
  quota: (s) =>
    postmarkError(
      statusFor(s, 422),
      412,
      s.message ?? 'Your account is pending approval: it may only send to its own domain.',
    ),
  unavailable: (s) => postmarkError(statusFor(s, 503), 100, s.message ?? 'Maintenance'),
  inactive_recipient: (s) =>
    postmarkError(
      statusFor(s, 422),
      406,
      s.message ?? 'You tried to send to recipient(s) that have been marked as inactive.',
    ),
};

/** Postmark: `POST /email`, `GET /server`, `X-Postmark-Server-Token`; errors are 422 `{ErrorCode, Message}`. */
export const postmarkApi: EmulatedVendor = {
  vendor: 'postmark',
  route(method, path) {
    if (method === 'POST' && path === '/email') return 'send';
    if (method === 'GET' && path === '/server') return 'verify';
    return undefined;
  },
  credential: (headers) => header(headers, 'x-postmark-server-token'),
  unauthorized: () => FAILURES.auth({}),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'From')),
  validate(request) {
    if (request.json === undefined) return postmarkError(422, 402, 'Received invalid JSON input.');
    if (!nonEmpty(pick(request.json, 'From'))) return postmarkError(422, 300, "Invalid 'From' address: ''.");
    if (!nonEmpty(pick(request.json, 'To'))) return postmarkError(422, 300, "Invalid 'To' address: ''.");
    if (!nonEmpty(pick(request.json, 'TextBody')) && !nonEmpty(pick(request.json, 'HtmlBody'))) {
      return postmarkError(422, 300, 'Provide either email TextBody or HtmlBody or both.');
    }
    return undefined;
  },
  senderNotVerified: () => FAILURES.sender_not_verified({}),
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
  failure: (reason, script) => FAILURES[reason](script),
};
