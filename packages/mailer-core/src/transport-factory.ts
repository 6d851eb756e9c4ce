import type { TransportFactoryOptions } from './mailer';
import type { ProviderConfig } from './provider';
import { usesHttpApi } from './provider';
import { createHttpTransport } from './transports/http';
import { createSmtpTransport } from './transports/smtp/smtp-transport';
import type { Transport } from './transports/transport';

/** The built-in transports: a vendor's HTTP API when the provider names one, SMTP otherwise. */
export function defaultTransportFactory(
  provider: ProviderConfig,
  options: TransportFactoryOptions,
): Transport {
  return usesHttpApi(provider)
    ? createHttpTransport(provider, options)
    : createSmtpTransport(provider, options);
}
