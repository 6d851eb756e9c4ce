// The provider form's rules, mirroring the API's checks (mailer-core's provider rules) so mistakes show while typing.
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

/** The form's fields in the order it shows them; also the order errors are focused in. */
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
const HOST_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

function isIpv6(value: string): boolean {
  if (!value.includes(':') || !/^[0-9A-Fa-f:.]+$/.test(value)) return false;
  const doubleColons = value.split('::').length - 1;
  if (doubleColons > 1) return false;
  const groups = value.split(':').filter((group) => group !== '');
  const last = groups[groups.length - 1];
  const embeddedV4 = last !== undefined && last.includes('.');
  if (embeddedV4 && !IPV4.test(last)) return false;
  const hexGroups = embeddedV4 ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((group) => /^[0-9A-Fa-f]{1,4}$/.test(group))) return false;
  const width = hexGroups.length + (embeddedV4 ? 2 : 0);
  return doubleColons === 1 ? width < 8 : width === 8;
}

export function isIpLiteral(host: string): boolean {
  const bare = unbracket(host);
  return IPV4.test(bare) || isIpv6(bare);
}

/** Loopback hosts are the only ones plain (unencrypted) connections may go to. */
export function isLoopbackHost(host: string): boolean {
  const value = unbracket(host.trim()).toLowerCase();
  if (value === 'localhost' || value.endsWith('.localhost')) return true;
  if (IPV4.test(value)) return value.startsWith('127.');
  if (!isIpv6(value)) return false;
  if (value === '::1' || value === '0:0:0:0:0:0:0:1') return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  return mapped?.[1] !== undefined && mapped[1].startsWith('127.');
}

const PLACEHOLDERS = new Set([
  'password',
  'changeme',
  'change-me',
  'change_me',
  'your-api-key',
  'your_api_key',
  'yourapikey',
  'your-password',
  'your_password',
  'api-key',
  'apikey',
]);

/** Values people paste from examples instead of the real secret; the API refuses the same ones. */
export function isPlaceholderSecret(secret: string): boolean {
  const value = secret.trim().toLowerCase();
  return PLACEHOLDERS.has(value) || /^x{4,}$/.test(value) || /^<.*>$/.test(value);
}

// An addr-spec as mail systems take it: dot-atom or quoted local part; host name or address literal.
const ATOM = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~\\u0080-\\uFFFF-]+";
const DOT_ATOM = new RegExp(`^${ATOM}(?:\\.${ATOM})*$`);
const QUOTED_LOCAL = /^"(?:[^"\\\r\n]|\\[^\r\n])*"$/;
const DOMAIN_LABEL = /^(?!-)[A-Za-z0-9\u0080-\uFFFF-]{1,63}(?<!-)$/;
const DOMAIN_LITERAL = /^\[(?:\d{1,3}(?:\.\d{1,3}){3}|IPv6:[0-9A-Fa-f:.]+)\]$/;

export function isEmailAddress(value: string): boolean {
  if (value.length === 0 || value.length > EMAIL_MAX) return false;
  if (/\s/.test(value.replace(/"(?:[^"\\]|\\.)*"/g, '""'))) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (local.length > 64) return false;
  if (!DOT_ATOM.test(local) && !QUOTED_LOCAL.test(local)) return false;
  return DOMAIN_LITERAL.test(domain) || domain.split('.').every((label) => DOMAIN_LABEL.test(label));
}

// The same checks in the same order as the API, so both name the same problem first.
function checkHost(host: string): RuleMessage | undefined {
  if (host === '') return { key: 'hostRequired' };
  if (host.length > HOST_MAX) return { key: 'hostTooLong', params: { max: HOST_MAX } };
  if (/\s/.test(host)) return { key: 'hostSpaces' };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) return { key: 'hostScheme' };
  if (host.includes('/')) return { key: 'hostPath' };
  if (isIpLiteral(host)) return undefined;
  if (/^[^:]+:\d+$/.test(host)) return { key: 'hostPort' };
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!name.split('.').every((label) => HOST_LABEL.test(label))) return { key: 'hostInvalid' };
  return undefined;
}

/** Line breaks, then other control characters: either would reach mail headers. */
function checkText(value: string): RuleMessage | undefined {
  if (CR_LF.test(value)) return { key: 'noLineBreaks' };
  if (CONTROL_CHARACTERS.test(value)) return { key: 'noControlCharacters' };
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
  const set = (field: ProviderField, message: RuleMessage | undefined): void => {
    if (message && !errors[field]) errors[field] = message;
  };

  const name = values.name.trim();
  set('name', checkText(values.name));
  if (name === '') set('name', { key: 'nameRequired' });
  else if (name.length > NAME_MAX) set('name', { key: 'tooLong', params: { max: NAME_MAX } });

  if (values.type === 'SMTP' && values.apiVendor !== '') set('apiVendor', { key: 'vendorOnlyForApi' });

  const host = values.host.trim();
  set('host', checkText(host));
  const hostProblem = checkHost(host);
  set('host', hostProblem);

  set('port', checkPort(values.port.trim()));

  set('username', checkText(values.username));
  if (values.username.length > USERNAME_MAX)
    set('username', { key: 'tooLong', params: { max: USERNAME_MAX } });

  set('password', checkPassword(values.password, context));

  if (values.encryption === 'NONE' && !hostProblem && !isLoopbackHost(host))
    set('encryption', { key: usesHttpApi(values) ? 'plainHttpLoopbackOnly' : 'plainLoopbackOnly' });
  if (values.encryption === 'STARTTLS' && usesHttpApi(values)) set('encryption', { key: 'starttlsWithApi' });

  const fromEmail = values.fromEmail.trim();
  set('fromEmail', checkText(fromEmail));
  if (fromEmail === '') set('fromEmail', { key: 'fromEmailRequired' });
  else if (fromEmail.length > EMAIL_MAX) set('fromEmail', { key: 'tooLong', params: { max: EMAIL_MAX } });
  else if (!isEmailAddress(fromEmail)) set('fromEmail', { key: 'fromEmailInvalid' });

  set('fromName', checkText(values.fromName));
  if (values.fromName.length > FROM_NAME_MAX)
    set('fromName', { key: 'tooLong', params: { max: FROM_NAME_MAX } });

  return errors;
}

/** Advice that does not block saving: port/encryption mix-ups are reported, never "fixed". */
export function providerWarnings(values: ProviderFormValues): FieldMessages {
  const warnings: FieldMessages = {};
  if (usesHttpApi(values)) return warnings;
  const port = values.port.trim();
  if (port === '465' && values.encryption === 'STARTTLS') warnings.encryption = { key: 'starttlsOn465' };
  else if (port === '587' && values.encryption === 'SSL_TLS') warnings.encryption = { key: 'sslOn587' };
  return warnings;
}

/** The fields whose change clears a provider's verification, as the API decides (docs/reference.md#providers). */
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
