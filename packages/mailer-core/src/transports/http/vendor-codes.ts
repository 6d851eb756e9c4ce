import type { HintKey } from '../../hints';
import type { ApiVendor } from '../../provider';
import type { FailureCategory } from '../../result';
import { MAILGUN_CODES } from './mailgun-codes';
import { POSTMARK_CODES } from './postmark-codes';
import { ZEPTOMAIL_CODES } from './zeptomail-codes';

/**
 * One of a vendor's own answers that says more than its HTTP status: the vendor's error code, or a status
 * that means something else at this vendor. Classification asks the vendor's table before the shared
 * status rows; the engine's decisions follow from the category as for every other row.
 */
export interface VendorCodeRule {
  /** The classification row's id (tests and debugging). */
  id: string;
  category: FailureCategory;
  hint: HintKey;
  /** Matches the vendor's error code. */
  vendorCode?: RegExp;
  /** Matches these statuses of this vendor. */
  httpStatus?: readonly number[];
}

export type VendorCodeTable = readonly VendorCodeRule[];

/** Each vendor's table, kept beside its adapter; a vendor whose statuses say it all has none. */
export const VENDOR_CODE_TABLES: Readonly<Record<ApiVendor, VendorCodeTable>> = {
  zeptomail: ZEPTOMAIL_CODES,
  sendgrid: [],
  mailgun: MAILGUN_CODES,
  postmark: POSTMARK_CODES,
  resend: [],
  brevo: [],
  sparkpost: [],
};
