import type { VendorCodeTable } from './vendor-codes';

/** Mailgun has no error codes of its own; one of its statuses means something else than elsewhere. */
export const MAILGUN_CODES: VendorCodeTable = [
  // Mailgun documents a 404 from its send endpoint as possibly transient (a domain it does not see yet),
  // not a wrong URL as elsewhere.
  { id: 'mailgun-404', category: 'PROVIDER_UNAVAILABLE', hint: 'httpNotFoundTransient', httpStatus: [404] },
];
