import type { ApiVendor } from '../provider';
import { brevoWebhook } from './brevo-webhook';
import { mailgunWebhook } from './mailgun-webhook';
import { postmarkWebhook } from './postmark-webhook';
import { resendWebhook } from './resend-webhook';
import { sendgridWebhook } from './sendgrid-webhook';
import { sparkpostWebhook } from './sparkpost-webhook';
import type { VendorWebhook } from './vendor-event';
import { zeptomailWebhook } from './zeptomail-webhook';

export * from './vendor-event';
export { NORMALISATION, ANY_DETAIL, normaliseVendorEvent, normaliseVendorMessageId } from './normalisation';
export { SIGNATURE_TOLERANCE_MS } from './webhook-auth';
export { eventVendorOf } from '../rules/relay-hosts';

/** How each API vendor's delivery-event webhook is verified and read. */
export const VENDOR_WEBHOOKS: Readonly<Record<ApiVendor, VendorWebhook>> = {
  zeptomail: zeptomailWebhook,
  sendgrid: sendgridWebhook,
  mailgun: mailgunWebhook,
  postmark: postmarkWebhook,
  resend: resendWebhook,
  brevo: brevoWebhook,
  sparkpost: sparkpostWebhook,
};
