import type { VendorCodeTable } from './vendor-codes';

/** TM_4001 / SM_111: "Sender address domain is not verified in your Mail Agent". */
export const ZEPTOMAIL_SENDER_NOT_VERIFIED = 'SM_111';

/** TM_3201 / GE_102: a mandatory field is missing — what the recipient-less dry run is expected to meet. */
export const ZEPTOMAIL_MISSING_FIELD_CODES: ReadonlySet<string> = new Set(['TM_3201', 'GE_102']);

/** ZeptoMail's detail codes (SM_111, SERR_156 …), which say more than its family codes and statuses. */
export const ZEPTOMAIL_CODES: VendorCodeTable = [
  {
    id: 'zepto-sender-domain',
    category: 'RELAY_DENIED',
    hint: 'httpSenderNotVerified',
    vendorCode: new RegExp(`\\b${ZEPTOMAIL_SENDER_NOT_VERIFIED}\\b`),
  },
  {
    id: 'zepto-quota',
    category: 'RATE_LIMITED',
    hint: 'httpQuota',
    vendorCode: /\b(?:LE_101|TM_3501|SM_133|SMI_115)\b/,
  },
  { id: 'zepto-ip', category: 'RELAY_DENIED', hint: 'httpIpNotAllowed', vendorCode: /\bSERR_156\b/ },
  { id: 'zepto-blocked', category: 'RELAY_DENIED', hint: 'httpAccountRestricted', vendorCode: /\bAE_101\b/ },
  {
    id: 'zepto-invalid',
    category: 'MESSAGE_REJECTED',
    hint: 'httpValidation',
    vendorCode: /\b(?:SM_113|TM_3201|GE_102|TM_3301)\b/,
  },
];
