/** How a provider is reached: a classic SMTP server, a mail service, or a mail service kept for CRM sending. */
export type ProviderType = 'smtp' | 'api_smtp' | 'crm_api_smtp';

/** Mail services whose HTTP API has a transport. Without a vendor, an API provider is reached through its SMTP relay. */
export type ApiVendor = 'zeptomail' | 'sendgrid' | 'mailgun' | 'postmark' | 'resend' | 'brevo' | 'sparkpost';

/** All vendors, in the order the panel lists them. */
export const API_VENDORS: readonly ApiVendor[] = [
  'zeptomail',
  'sendgrid',
  'mailgun',
  'postmark',
  'resend',
  'brevo',
  'sparkpost',
];

/** `ssl_tls`: TLS from the first byte; `starttls`: upgrade required; `none`: plain (loopback only). */
export type Encryption = 'ssl_tls' | 'starttls' | 'none';

export type ServiceType = 'primary' | 'fallback';

export type ProviderStatus = 'active' | 'inactive';

/**
 * How an SMTP provider signs in: `password` (AUTH PLAIN/LOGIN with Username and Password), `oauth2` (XOAUTH2
 * as the mailbox in Username, with an access token from the engine's OAuth2TokenSource (see oauth2.ts)) or `none`
 * (a relay that trusts this server). An HTTP API vendor always takes its key in Password.
 */
export type AuthMethod = 'password' | 'oauth2' | 'none';

/** Which stream of mail a message belongs to. CRM mail has its own providers and falls back to DEFAULT. */
export type Channel = 'DEFAULT' | 'CRM';

/** Extra trust for a provider's TLS certificate (a private CA), never a way to switch verification off silently. */
export interface TlsOptions {
  /** PEM certificate(s) of a CA to trust in addition to the system store. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Defaults to true. Setting it to false is logged as a warning on every verification. */
  rejectUnauthorized?: boolean;
  /** Server name for SNI and certificate checks when `host` is an IP literal. */
  servername?: string;
}

/** One delivery account, as the engine needs it. The API's provider fields, with lower-case values. */
export interface ProviderConfig {
  id: string;
  type: ProviderType;
  name: string;
  apiVendor?: ApiVendor | null;
  /** SMTP host, or the API host for an HTTP vendor. */
  host: string;
  port: number;
  /**
   * How the provider signs in. Left out, it is inferred: a Username means `password`, none means `none`
   * (see {@link authMethodOf}).
   */
  authMethod?: AuthMethod;
  /** The login; for `oauth2`, the mailbox's address (XOAUTH2 `user=`). */
  username: string;
  /** SMTP password or API key; unused (empty) for `oauth2`. Never logged, never returned. */
  password: string;
  encryption: Encryption;
  fromEmail: string;
  fromName: string;
  serviceType: ServiceType;
  status: ProviderStatus;
  /** Global order, 1 first. */
  priority: number;
  tls?: TlsOptions;
}

/** The provider's sign-in method: the one it names, else `password` with a Username and `none` without. */
export function authMethodOf(provider: Pick<ProviderConfig, 'authMethod' | 'username'>): AuthMethod {
  return provider.authMethod ?? (provider.username !== '' ? 'password' : 'none');
}

/** The channel a provider serves: CRM mail services serve CRM, every other provider serves DEFAULT. */
export function channelOf(provider: Pick<ProviderConfig, 'type'>): Channel {
  return provider.type === 'crm_api_smtp' ? 'CRM' : 'DEFAULT';
}

/** True when the provider is reached through a vendor's HTTP API rather than SMTP. */
export function usesHttpApi(provider: Pick<ProviderConfig, 'type' | 'apiVendor'>): boolean {
  return provider.type !== 'smtp' && provider.apiVendor != null;
}
