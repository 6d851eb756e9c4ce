// The provider form's rules, mirroring the API's checks (SPEC §2) so mistakes show while typing.
// The API stays the authority: whatever it refuses is shown at the field it names.

import type {
  ApiVendor,
  Encryption,
  Provider,
  ProviderInput,
  ProviderStatus,
  ProviderType,
  ServiceType,
} from '../graphql/types';

/** What the form edits; text inputs keep their raw strings so half-typed values can be judged. */
export interface ProviderFormValues {
  type: ProviderType;
  name: string;
  apiVendor: ApiVendor | '';
  host: string;
  port: string;
  username: string;
  password: string;
  encryption: Encryption;
  fromEmail: string;
  fromName: string;
  serviceType: ServiceType;
  status: ProviderStatus;
}

export type ProviderField = keyof ProviderFormValues;

/** The form's fields in SPEC §2 order; also the order errors are focused in. */
export const PROVIDER_FIELDS: readonly ProviderField[] = [
  'type',
  'name',
  'apiVendor',
  'host',
  'port',
  'username',
  'password',
  'encryption',
  'fromEmail',
  'fromName',
  'serviceType',
  'status',
];

/** An i18n key under `rules.` with its parameters. */
export interface RuleMessage {
  key: string;
  params?: Record<string, string | number>;
}

export type FieldMessages = Partial<Record<ProviderField, RuleMessage>>;

export interface RuleContext {
  /** Editing a provider whose password is stored: an empty password keeps it. */
  passwordStored: boolean;
}

export const NAME_MAX = 64;
export const HOST_MAX = 253;
export const USERNAME_MAX = 256;
export const EMAIL_MAX = 254;
export const FROM_NAME_MAX = 128;

const CR_LF = /[\r\n]/;

export function emptyProviderForm(): ProviderFormValues {
  return {
    type: 'SMTP',
    name: '',
    apiVendor: '',
    host: '',
    port: '587',
    username: '',
    password: '',
    encryption: 'STARTTLS',
    fromEmail: '',
    fromName: '',
    serviceType: 'PRIMARY',
    status: 'INACTIVE',
  };
}

export function formFromProvider(provider: Provider): ProviderFormValues {
  return {
    type: provider.type,
    name: provider.name,
    apiVendor: provider.apiVendor ?? '',
    host: provider.host,
    port: String(provider.port),
    username: provider.username,
    password: '',
    encryption: provider.encryption,
    fromEmail: provider.fromEmail,
    fromName: provider.fromName,
    serviceType: provider.serviceType,
    status: provider.status,
  };
}

export function isApiType(type: ProviderType): boolean {
  return type !== 'SMTP';
}

/** The provider is reached through a vendor's HTTP API rather than SMTP. */
export function usesHttpApi(values: Pick<ProviderFormValues, 'type' | 'apiVendor'>): boolean {
  return isApiType(values.type) && values.apiVendor !== '';
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const HOST_LABEL = /^[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/;

function isIpv6(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (!bare.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(bare)) return false;
  const doubleColons = bare.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = bare.split(':').filter((group) => group !== '');
  const last = groups[groups.length - 1];
  const embeddedV4 = last !== undefined && last.includes('.');
  if (embeddedV4 && !IPV4.test(last)) return false;
  const hexGroups = embeddedV4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  const width = hexGroups.length + (embeddedV4 ? 2 : 0);
  return doubleColons === 1 ? width < 8 : width === 8;
}

function isHostname(host: string): boolean {
  const trimmed = host.endsWith('.') ? host.slice(0, -1) : host;
  if (trimmed === '') return false;
  return trimmed.split('.').every((label) => HOST_LABEL.test(label));
}

/** Loopback hosts are the only ones plain (unencrypted) connections may go to. */
export function isLoopbackHost(host: string): boolean {
  const value = host.trim().toLowerCase();
  if (value === 'localhost' || value.endsWith('.localhost')) return true;
  if (IPV4.test(value)) return value.startsWith('127.');
  const bare = value.startsWith('[') && value.endsWith(']') ? value.slice(1, -1) : value;
  return bare === '::1' || bare === '0:0:0:0:0:0:0:1' || bare.startsWith('::ffff:127.');
}

/** Values people leave in by mistake; the API refuses them too. */
export function isPlaceholderSecret(secret: string): boolean {
  const value = secret.trim().toLowerCase();
  if (
    ['password', 'changeme', 'change-me', 'your-api-key', 'your_api_key', 'api-key', 'apikey'].includes(value)
  )
    return true;
  if (/^x{4,}$/.test(value)) return true;
  if (/^\*{4,}$/.test(value)) return true;
  return value.startsWith('<') && value.endsWith('>');
}

// A pragmatic addr-spec: dot-atom local part (or a quoted one), a dotted domain or an address literal.
const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const QUOTED_LOCAL = /^"([\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;

export function isEmailAddress(value: string): boolean {
  if (value.length > EMAIL_MAX || /\s/.test(value.replace(/"[^"]*"/, ''))) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64) return false;
  if (!DOT_ATOM.test(local) && !QUOTED_LOCAL.test(local)) return false;
  if (domain.startsWith('[') && domain.endsWith(']')) {
    const literal = domain.slice(1, -1);
    return IPV4.test(literal) || (literal.toLowerCase().startsWith('ipv6:') && isIpv6(literal.slice(5)));
  }
  return domain.includes('.') && isHostname(domain) && !domain.endsWith('.');
}

function checkHost(host: string): RuleMessage | undefined {
  if (host === '') return { key: 'hostRequired' };
  if (host.length > HOST_MAX) return { key: 'hostTooLong', params: { max: HOST_MAX } };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return { key: 'hostScheme' };
  if (/\s/.test(host)) return { key: 'hostSpaces' };
  if (host.includes('/')) return { key: 'hostPath' };
  if (IPV4.test(host) || isIpv6(host)) return undefined;
  if (/^\d+(\.\d+){3}$/.test(host)) return { key: 'hostInvalid' };
  if (host.includes(':')) return { key: 'hostPort' };
  if (!isHostname(host)) return { key: 'hostInvalid' };
  return undefined;
}

function checkPort(port: string): RuleMessage | undefined {
  if (port === '') return { key: 'portRequired' };
  if (!/^\d+$/.test(port)) return { key: 'portInvalid' };
  const value = Number(port);
  if (value < 1 || value > 65535) return { key: 'portInvalid' };
  return undefined;
}

function checkPassword(password: string, context: RuleContext): RuleMessage | undefined {
  if (password === '') return context.passwordStored ? undefined : { key: 'passwordRequired' };
  if (isPlaceholderSecret(password)) return { key: 'passwordPlaceholder' };
  if (CR_LF.test(password)) return { key: 'noLineBreaks' };
  return undefined;
}

/** Every error of the form, keyed by field; an empty object means the API should accept it. */
export function validateProvider(values: ProviderFormValues, context: RuleContext): FieldMessages {
  const errors: FieldMessages = {};
  const name = values.name.trim();
  if (name === '') errors.name = { key: 'nameRequired' };
  else if (name.length > NAME_MAX) errors.name = { key: 'tooLong', params: { max: NAME_MAX } };

  if (values.type === 'SMTP' && values.apiVendor !== '') errors.apiVendor = { key: 'vendorOnlyForApi' };

  const host = checkHost(values.host.trim());
  if (host) errors.host = host;

  const port = checkPort(values.port.trim());
  if (port) errors.port = port;

  if (values.username.length > USERNAME_MAX)
    errors.username = { key: 'tooLong', params: { max: USERNAME_MAX } };
  else if (CR_LF.test(values.username)) errors.username = { key: 'noLineBreaks' };

  const password = checkPassword(values.password, context);
  if (password) errors.password = password;

  if (values.encryption === 'NONE' && !host && !isLoopbackHost(values.host))
    errors.encryption = { key: usesHttpApi(values) ? 'plainHttpLoopbackOnly' : 'plainLoopbackOnly' };

  const fromEmail = values.fromEmail.trim();
  if (fromEmail === '') errors.fromEmail = { key: 'fromEmailRequired' };
  else if (fromEmail.length > EMAIL_MAX) errors.fromEmail = { key: 'tooLong', params: { max: EMAIL_MAX } };
  else if (!isEmailAddress(fromEmail)) errors.fromEmail = { key: 'fromEmailInvalid' };

  if (values.fromName.length > FROM_NAME_MAX)
    errors.fromName = { key: 'tooLong', params: { max: FROM_NAME_MAX } };
  else if (CR_LF.test(values.fromName)) errors.fromName = { key: 'noLineBreaks' };

  return errors;
}

/** Advice that does not block saving: SPEC §2 reports port/encryption mix-ups, it never "fixes" them. */
export function providerWarnings(values: ProviderFormValues): FieldMessages {
  const warnings: FieldMessages = {};
  if (usesHttpApi(values)) return warnings;
  const port = values.port.trim();
  if (port === '465' && values.encryption === 'STARTTLS') warnings.encryption = { key: 'starttlsOn465' };
  else if (port === '587' && values.encryption === 'SSL_TLS') warnings.encryption = { key: 'sslOn587' };
  return warnings;
}

/** The fields whose change clears a provider's verification (SPEC §2). */
export const CREDENTIAL_FIELDS: readonly ProviderField[] = [
  'type',
  'apiVendor',
  'host',
  'port',
  'username',
  'password',
  'encryption',
];

export function credentialsChanged(original: ProviderFormValues, current: ProviderFormValues): boolean {
  return CREDENTIAL_FIELDS.some((field) =>
    field === 'password' ? current.password !== '' : original[field].trim() !== current[field].trim(),
  );
}

/** The mutation input; an empty password is left out so the stored one is kept. */
export function toProviderInput(values: ProviderFormValues): ProviderInput {
  const input: ProviderInput = {
    type: values.type,
    name: values.name.trim(),
    apiVendor: isApiType(values.type) && values.apiVendor !== '' ? values.apiVendor : null,
    host: values.host.trim(),
    port: Number(values.port.trim()),
    username: values.username,
    encryption: values.encryption,
    fromEmail: values.fromEmail.trim(),
    fromName: values.fromName,
    serviceType: values.serviceType,
    status: values.status,
  };
  if (values.password !== '') input.password = values.password;
  return input;
}
