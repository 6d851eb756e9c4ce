import { randomUUID } from 'node:crypto';
import { pick, pickArray, pickString } from '../../transports/http/json-fields';
import {
  domainOfAddress,
  nonEmpty,
  retryAfterHeader,
  schemeToken,
  statusFor,
  type EmulatedVendor,
  type FailureReason,
  type Reply,
  type ScriptedFailure,
} from './emulated-vendor';

/** ZeptoMail's error envelope: a family code, and the precise code in `details`. */
function zeptoError(
  status: number,
  code: string,
  subCode: string,
  message: string,
  headers: Record<string, string> = {},
): Reply {
  return {
    status,
    headers,
    body: {
      error: {
        code,
        details: [{ code: subCode, message, target: '' }],
        message: status === 401 ? 'Invalid API Token found' : 'Invalid request',
        request_id: randomUUID(),
      },
    },
  };
}

const FAILURES: Record<FailureReason, (script: ScriptedFailure) => Reply> = {
  auth: (s) => zeptoError(statusFor(s, 401), 'TM_3101', 'SERR_157', s.message ?? 'Invalid API Token found'),
  sender_not_verified: (s) =>
    zeptoError(
      statusFor(s, 400),
      'TM_4001',
      'SM_111',
      s.message ?? 'Sender address domain is not verified in your Mail Agent.',
    ),
  validation: (s) =>
    zeptoError(
      statusFor(s, 400),
      'TM_3201',
      'GE_102',
      s.message ?? 'Mandatory Field "subject" was set as Empty Value.',
    ),
  rate_limit: (s) =>
    zeptoError(
      statusFor(s, 429),
      'TM_3601',
      'SMI_115',
      s.message ?? 'Per day limit exhausted, try after some time.',
      retryAfterHeader(s),
    ),
  quota: (s) => zeptoError(statusFor(s, 400), 'TM_3501', 'LE_101', s.message ?? 'Credits expired.'),
  unavailable: (s) =>
    zeptoError(statusFor(s, 500), 'TM_5001', 'GE_500', s.message ?? 'Internal server error'),
  inactive_recipient: (s) =>
    zeptoError(statusFor(s, 400), 'TM_4001', 'SM_113', s.message ?? 'Invalid email address.'),
};

/** ZeptoMail: `POST /v1.1/email`, `Authorization: Zoho-enczapikey <token>`, 201 with `request_id`. */
export const zeptomailApi: EmulatedVendor = {
  vendor: 'zeptomail',
  // The token can only send, so its dry run is a send without recipients.
  route: (method, path) => (method === 'POST' && path === '/v1.1/email' ? 'send' : undefined),
  credential: (headers) => schemeToken(headers, 'Zoho-enczapikey'),
  unauthorized: () => FAILURES.auth({}),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'from', 'address')),
  validate(request) {
    if (request.json === undefined) return zeptoError(400, 'TM_3301', 'SM_101', 'Invalid JSON.');
    if (!nonEmpty(pick(request.json, 'from', 'address'))) {
      return zeptoError(400, 'TM_3201', 'GE_102', 'Mandatory Field "from" is missing.');
    }
    const recipients = ['to', 'cc', 'bcc'].flatMap((field) => pickArray(request.json, field));
    if (recipients.length === 0) return zeptoError(400, 'TM_3201', 'GE_102', 'No recipient field found.');
    if (!nonEmpty(pick(request.json, 'subject'))) {
      return zeptoError(400, 'TM_3201', 'GE_102', 'Mandatory Field "subject" was set as Empty Value.');
    }
    if (!nonEmpty(pick(request.json, 'htmlbody')) && !nonEmpty(pick(request.json, 'textbody'))) {
      return zeptoError(400, 'TM_3201', 'GE_102', 'Mandatory Field "htmlbody" or "textbody" is missing.');
    }
    return undefined;
  },
  senderNotVerified: () => FAILURES.sender_not_verified({}),
  accepted: (_request, id) => ({
    status: 201,
    body: {
      data: [{ code: 'EM_104', additional_info: [], message: 'Email request received' }],
      message: 'OK',
      request_id: id,
      object: 'email',
    },
  }),
  verified: () => ({ status: 201, body: {} }),
  failure: (reason, script) => FAILURES[reason](script),
};
