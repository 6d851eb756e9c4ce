import type { TransportFactory, TransportFactoryOptions } from './mailer';
import type { OutboundPolicy } from './outbound/outbound-policy';
import type { ProviderConfig } from './provider';
import { usesHttpApi } from './provider';
import { createHttpTransport } from './transports/http';
import { createSmtpTransport } from './transports/smtp/smtp-transport';
import type { Transport } from './transports/transport';

/**
 * The built-in transports: a vendor's HTTP API when the provider names one, SMTP otherwise. Their
 * connections may reach any private network (never link-local or metadata addresses); see
 * {@link transportFactoryWith} to restrict them.
 */
export function defaultTransportFactory(
  provider: ProviderConfig,
  options: TransportFactoryOptions,
): Transport {
  return usesHttpApi(provider)
    ? createHttpTransport(provider, options)
    : createSmtpTransport(provider, options);
}

/**
 * The built-in transports with every connection put to `outbound`: sends, verifications and test emails
 * alike, SMTP and HTTP alike.
 *
 * @example
 * const outbound = createOutboundPolicy(parseAllowList(process.env.ALLOWED_PROVIDER_HOSTS ?? ''));
 * const mailer = createMailer({ providers, createTransport: transportFactoryWith(outbound) });
 */
export function transportFactoryWith(outbound: OutboundPolicy): TransportFactory {
  return (provider, options) =>
    usesHttpApi(provider)
      ? createHttpTransport(provider, { ...options, outbound })
      : createSmtpTransport(provider, { ...options, outbound });
}
