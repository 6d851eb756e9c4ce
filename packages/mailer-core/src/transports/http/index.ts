import type { ApiVendor, ProviderConfig } from '../../provider';
import type { Transport } from '../transport';
import { brevoAdapter } from './brevo-transport';
import { HttpTransportConfigError } from './http-client';
import { mailgunAdapter } from './mailgun-transport';
import { postmarkAdapter } from './postmark-transport';
import { resendAdapter } from './resend-transport';
import { sendgridAdapter } from './sendgrid-transport';
import { sparkpostAdapter } from './sparkpost-transport';
import type { VendorAdapter } from './vendor-adapter';
import { createVendorTransport, type HttpTransportOptions } from './vendor-transport';
import { zeptomailAdapter } from './zeptomail-transport';

/** The URL rule and the rate-limit header reader, for callers that validate providers. */
export { HttpTransportConfigError, apiBaseUrl, retryAfterMs } from './http-client';
/** What createHttpTransport takes besides the provider. */
export type { HttpTransportOptions } from './vendor-transport';

const ADAPTERS: Record<ApiVendor, VendorAdapter> = {
  zeptomail: zeptomailAdapter,
  sendgrid: sendgridAdapter,
  mailgun: mailgunAdapter,
  postmark: postmarkAdapter,
  resend: resendAdapter,
  brevo: brevoAdapter,
  sparkpost: sparkpostAdapter,
};

/**
 * The transport for a provider reached through its vendor's HTTP API (`apiVendor` set).
 *
 * The API is called at `https://host:port`, or plain `http://` when Encryption is `none`, which is
 * allowed toward loopback hosts only. Delivery failures come back classified; bad settings throw
 * {@link HttpTransportConfigError}.
 *
 * Each request has its own budget: `timeouts.connectMs` until the connection carries the request,
 * `timeouts.socketMs` for the whole exchange. A request that got no answer after its body went out is
 * reported as possibly delivered (`AMBIGUOUS`).
 *
 * Every connection goes to an address `options.outbound` allows (see createOutboundPolicy); the default
 * allows every private network and never link-local or metadata addresses.
 *
 * Limitation: `provider.tls.ca` is not applied to API calls (verify() says so in a warning); trust a
 * private CA process-wide with `NODE_EXTRA_CA_CERTS`.
 *
 * @example
 * const transport = createHttpTransport(provider, { timeouts: DEFAULT_TIMEOUTS, logger: silentLogger });
 * const result = await transport.send(envelope, { signal });
 */
export function createHttpTransport(provider: ProviderConfig, options: HttpTransportOptions): Transport {
  const vendor = provider.apiVendor;
  if (!vendor) {
    throw new HttpTransportConfigError(
      `Provider "${provider.name}" has no API vendor: it is reached over SMTP.`,
    );
  }
  return createVendorTransport(ADAPTERS[vendor], provider, options);
}
