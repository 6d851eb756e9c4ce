import type { VendorCodeTable } from './vendor-codes';

/** ErrorCode 400 "sender signature not found", 401 "sender signature not confirmed". */
export const POSTMARK_SENDER_SIGNATURE_CODES: ReadonlySet<string> = new Set(['400', '401']);

/** Postmark's `ErrorCode` values (its errors are mostly 422, so the status alone says little). */
export const POSTMARK_CODES: VendorCodeTable = [
  {
    id: 'postmark-sender-signature',
    category: 'RELAY_DENIED',
    hint: 'httpSenderNotVerified',
    vendorCode: new RegExp(`^(?:${[...POSTMARK_SENDER_SIGNATURE_CODES].join('|')})$`),
  },
  {
    id: 'postmark-inactive-recipient',
    category: 'RECIPIENT_REJECTED',
    hint: 'httpInactiveRecipient',
    vendorCode: /^406$/,
  },
  { id: 'postmark-bad-token', category: 'AUTH', hint: 'httpAuth', vendorCode: /^10$/ },
  {
    id: 'postmark-maintenance',
    category: 'PROVIDER_UNAVAILABLE',
    hint: 'httpServerError',
    vendorCode: /^100$/,
  },
  {
    id: 'postmark-not-allowed',
    category: 'RELAY_DENIED',
    hint: 'httpAccountRestricted',
    vendorCode: /^(?:405|412|413)$/,
  },
  { id: 'postmark-rate', category: 'RATE_LIMITED', hint: 'httpRateLimited', vendorCode: /^429$/ },
  { id: 'postmark-invalid', category: 'MESSAGE_REJECTED', hint: 'httpValidation', vendorCode: /^300$/ },
];
