import { randomUUID } from 'node:crypto';
import { pickArray, pickString } from '../../transports/http/json-fields';
import { defineVendor, domainOfAddress, lacks, schemeToken, type Reply } from './emulated-vendor';

/** ZeptoMail's two codes: the family (`TM_3201`) and the precise one in `details` (`GE_102`). */
type ZeptoCodes = [code: string, subCode: string];

/** ZeptoMail's error envelope: a family code, and the precise code in `details`. */
function zeptoError(
  status: number,
  message: string,
  [code, subCode]: ZeptoCodes,
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

/** TM_3201 / GE_102: a mandatory field is missing. */
const MISSING_FIELD: ZeptoCodes = ['TM_3201', 'GE_102'];

/** ZeptoMail: `POST /v1.1/email`, `Authorization: Zoho-enczapikey <token>`, 201 with `request_id`. */
export const zeptomailApi = defineVendor<ZeptoCodes>({
  vendor: 'zeptomail',
  // The token can only send, so its dry run is a send without recipients.
  paths: { send: '/v1.1/email' },
  credential: (headers) => schemeToken(headers, 'Zoho-enczapikey'),
  senderDomain: (request) => domainOfAddress(pickString(request.json, 'from', 'address')),
  validate(request) {
    if (request.json === undefined) return zeptoError(400, 'Invalid JSON.', ['TM_3301', 'SM_101']);
    if (lacks(request.json, 'from.address')) {
      return zeptoError(400, 'Mandatory Field "from" is missing.', MISSING_FIELD);
    }
    const recipients = ['to', 'cc', 'bcc'].flatMap((field) => pickArray(request.json, field));
    if (recipients.length === 0) return zeptoError(400, 'No recipient field found.', MISSING_FIELD);
    if (lacks(request.json, 'subject')) {
      return zeptoError(400, 'Mandatory Field "subject" was set as Empty Value.', MISSING_FIELD);
    }
    if (lacks(request.json, 'htmlbody', 'textbody')) {
      return zeptoError(400, 'Mandatory Field "htmlbody" or "textbody" is missing.', MISSING_FIELD);
    }
    return undefined;
  },
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
  error: zeptoError,
  failures: {
    auth: { status: 401, message: 'Invalid API Token found', detail: ['TM_3101', 'SERR_157'] },
    sender_not_verified: {
      status: 400,
      message: 'Sender address domain is not verified in your Mail Agent.',
      detail: ['TM_4001', 'SM_111'],
    },
    validation: {
      status: 400,
      message: 'Mandatory Field "subject" was set as Empty Value.',
      detail: MISSING_FIELD,
    },
    rate_limit: {
      status: 429,
      message: 'Per day limit exhausted, try after some time.',
      detail: ['TM_3601', 'SMI_115'],
      wait: true,
    },
    quota: { status: 400, message: 'Credits expired.', detail: ['TM_3501', 'LE_101'] },
    unavailable: { status: 500, message: 'Internal server error', detail: ['TM_5001', 'GE_500'] },
    inactive_recipient: { status: 400, message: 'Invalid email address.', detail: ['TM_4001', 'SM_113'] },
  },
});
