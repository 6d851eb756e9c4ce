// The provider form read into the shared provider rules (@mail-providers/mailer-core/rules, the table the
// API and the engine judge with), so mistakes show while typing. The API stays the authority: whatever it
// refuses is shown at the field it names.

import {
  eventVendorOf,
  providerRuleIssues,
  providerWarnings as ruleWarnings,
  type ProviderRuleCode,
  type ProviderRuleValues,
  type ApiVendor as CoreApiVendor,
  type ProviderWarningCode,
} from '@mail-providers/mailer-core/rules';
import type {
  ApiVendor,
  AuthMethod,
  Encryption,
  OAuthFlavour,
  Provider,
  ProviderInput,
  ProviderStatus,
  ProviderType,
  ServiceType,
} from '../graphql/types';
import { defaultApiPreset, presetForHost, type VendorPreset } from './vendor-presets';

/**
 * How the provider signs in to an SMTP relay: with a username and password, with OAuth2 at Microsoft,
 * Google or another OAuth2 server, or not at all (a relay that trusts this server, such as a local Postfix
 * or a smarthost that accepts this server by its address).
 */
export type Authentication = 'LOGIN' | OAuthFlavour | 'NONE';
export const AUTHENTICATIONS: readonly Authentication[] = ['LOGIN', 'MICROSOFT', 'GOOGLE', 'GENERIC', 'NONE'];
const OAUTH_FLAVOURS: readonly OAuthFlavour[] = ['MICROSOFT', 'GOOGLE', 'GENERIC'];

/** What the form edits; text inputs keep their raw strings so half-typed values can be judged. */
export interface ProviderFormValues {
  type: ProviderType;
  name: string;
  apiVendor: ApiVendor | '';
  host: string;
  port: string;
  /** Only for SMTP relays: an HTTP API always takes its key in Password. */
  authentication: Authentication;
  username: string;
  password: string;
  /** The OAuth2 app registration (with an OAuth2 sign-in only); the secret is write-only like Password. */
  clientId: string;
  clientSecret: string;
  /** Microsoft: the directory (tenant) id or domain. */
  tenant: string;
  /** Another OAuth2 server: its endpoints, and the scopes separated by spaces. */
  authorizeUrl: string;
  tokenUrl: string;
  scopes: string;
  encryption: Encryption;
  fromEmail: string;
  fromName: string;
  serviceType: ServiceType;
  status: ProviderStatus;
}

export type ProviderField = keyof ProviderFormValues;

/** The form's fields in order; also the order errors are focused in. */
export const PROVIDER_FIELDS: readonly ProviderField[] = [
  'type',
  'name',
  'apiVendor',
  'host',
  'port',
  'authentication',
  'username',
  'password',
  'clientId',
  'clientSecret',
  'tenant',
  'authorizeUrl',
  'tokenUrl',
  'scopes',
  'encryption',
  'fromEmail',
  'fromName',
  'serviceType',
  'status',
];

/** The form's own rules for the OAuth2 app registration (the API judges it the same way). */
export type OAuthRuleKey =
  | 'clientIdRequired'
  | 'clientIdInvalid'
  | 'clientSecretRequired'
  | 'clientSecretReenter'
  | 'clientSecretOneLine'
  | 'tenantRequired'
  | 'tenantInvalid'
  | 'oauthUrlRequired'
  | 'oauthUrlInvalid'
  | 'oauthUrlHttps'
  | 'oauthUrlCredentials'
  | 'scopesRequired'
  | 'scopesInvalid';

/** The i18n keys under `rules.`: one per code of the shared rules and warnings, and the form's own. */
export type RuleKey = ProviderRuleCode | ProviderWarningCode | OAuthRuleKey;

/** An i18n key under `rules.` with its parameters. */
export interface RuleMessage {
  key: RuleKey;
  params?: Record<string, string | number>;
}

export type FieldMessages = Partial<Record<ProviderField, RuleMessage>>;

export interface RuleContext {
  /** Editing a provider whose password is stored: an empty password keeps it. */
  passwordStored: boolean;
  /**
   * The OAuth2 registration as saved, when a client secret is stored with it: an empty Client secret keeps
   * it while the registration stays the same.
   */
  storedRegistration?: ProviderFormValues | null;
}

export function emptyProviderForm(): ProviderFormValues {
  return {
    type: 'SMTP',
    name: '',
    apiVendor: '',
    host: '',
    port: '587',
    authentication: 'LOGIN',
    username: '',
    password: '',
    clientId: '',
    clientSecret: '',
    tenant: '',
    authorizeUrl: '',
    tokenUrl: '',
    scopes: '',
    encryption: 'STARTTLS',
    fromEmail: '',
    fromName: '',
    serviceType: 'PRIMARY',
    status: 'INACTIVE',
  };
}

export function formFromProvider(provider: Provider): ProviderFormValues {
  const values: ProviderFormValues = {
    type: provider.type,
    name: provider.name,
    apiVendor: provider.apiVendor ?? '',
    host: provider.host,
    port: String(provider.port),
    authentication: 'LOGIN',
    username: provider.username,
    password: '',
    clientId: '',
    clientSecret: '',
    tenant: '',
    authorizeUrl: '',
    tokenUrl: '',
    scopes: '',
    encryption: provider.encryption,
    fromEmail: provider.fromEmail,
    fromName: provider.fromName,
    serviceType: provider.serviceType,
    status: provider.status,
  };
  if (usesHttpApi(values)) return values;
  const { oauth } = provider;
  if (provider.authMethod === 'OAUTH2' && oauth) {
    values.authentication = oauth.flavour;
    values.clientId = oauth.clientId;
    values.tenant = oauth.tenant ?? '';
    values.authorizeUrl = oauth.authorizeUrl ?? '';
    values.tokenUrl = oauth.tokenUrl ?? '';
    values.scopes = oauth.scopes.join(' ');
  } else if (provider.authMethod === 'NONE' || provider.username === '') {
    // An SMTP relay saved without a username never logs in (whatever password an older version kept).
    values.authentication = 'NONE';
  }
  return values;
}

export function isApiType(type: ProviderType): boolean {
  return type !== 'SMTP';
}

/** The provider is reached through a vendor's HTTP API rather than SMTP. */
export function usesHttpApi(values: Pick<ProviderFormValues, 'type' | 'apiVendor'>): boolean {
  return isApiType(values.type) && values.apiVendor !== '';
}

/**
 * The vendor whose delivery events this provider can receive, by the API's own rule (eventVendorOf): the
 * vendor of an HTTP API or vendor relay type, else the vendor whose SMTP relay the host names; null for
 * another SMTP server.
 */
export function eventVendor(
  values: Pick<ProviderFormValues, 'type' | 'apiVendor' | 'host'>,
): ApiVendor | null {
  const vendor = eventVendorOf({
    apiVendor: usesHttpApi(values) ? (values.apiVendor.toLowerCase() as CoreApiVendor) : null,
    host: values.host,
  });
  return vendor === null ? null : (vendor.toUpperCase() as ApiVendor);
}

/** "No login" is chosen for an SMTP relay: Username and Password are not sent at all. */
export function withoutLogin(
  values: Pick<ProviderFormValues, 'type' | 'apiVendor' | 'authentication'>,
): boolean {
  return values.authentication === 'NONE' && !usesHttpApi(values);
}

/** The OAuth2 server the SMTP provider signs in with, or null when it signs in otherwise. */
export function oauthFlavourOf(
  values: Pick<ProviderFormValues, 'type' | 'apiVendor' | 'authentication'>,
): OAuthFlavour | null {
  if (usesHttpApi(values)) return null;
  return OAUTH_FLAVOURS.find((flavour) => flavour === values.authentication) ?? null;
}

/** How the provider signs in, in the API's words. */
export function authMethodOf(
  values: Pick<ProviderFormValues, 'type' | 'apiVendor' | 'authentication'>,
): AuthMethod {
  if (withoutLogin(values)) return 'NONE';
  return oauthFlavourOf(values) ? 'OAUTH2' : 'PASSWORD';
}

/** The username and password the form stands for: none with "No login", no password with OAuth2. */
function credentials(values: ProviderFormValues): { username: string; password: string } {
  if (withoutLogin(values)) return { username: '', password: '' };
  return { username: values.username, password: oauthFlavourOf(values) ? '' : values.password };
}

/** The registration fields that, changed, need the client secret entered again (as the API judges). */
const REGISTRATION_FIELDS = ['clientId', 'tenant', 'authorizeUrl', 'tokenUrl'] as const;

/** The OAuth2 registration the form holds, trimmed as it is sent; flavour-specific fields of others empty. */
function registrationOf(values: ProviderFormValues) {
  const flavour = oauthFlavourOf(values);
  return {
    flavour,
    clientId: values.clientId.trim(),
    clientSecret: values.clientSecret.trim(),
    tenant: flavour === 'MICROSOFT' ? values.tenant.trim() : '',
    authorizeUrl: flavour === 'GENERIC' ? values.authorizeUrl.trim() : '',
    tokenUrl: flavour === 'GENERIC' ? values.tokenUrl.trim() : '',
    scopes: values.scopes.split(/\s+/).filter((scope) => scope !== ''),
  };
}

type Registration = ReturnType<typeof registrationOf>;

/** Whether both forms sign in with the same OAuth2 app registration (a stored secret belongs to it). */
export function sameRegistration(a: ProviderFormValues, b: ProviderFormValues): boolean {
  const first = registrationOf(a);
  const second = registrationOf(b);
  return (
    first.flavour !== null &&
    first.flavour === second.flavour &&
    REGISTRATION_FIELDS.every((field) => first[field] === second[field])
  );
}

const TENANT = /^[A-Za-z0-9][A-Za-z0-9.-]{0,253}$/;
const SCOPE = /^[\x21\x23-\x5b\x5d-\x7e]{1,512}$/;
const CLIENT_ID = /^[\x21-\x7e]{1,512}$/;

/** What is wrong with an OAuth2 endpoint URL: not absolute, not https (but toward this machine), or with a login in it. */
function urlProblem(value: string): OAuthRuleKey | null {
  if (value === '') return 'oauthUrlRequired';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'oauthUrlInvalid';
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\./.test(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) return 'oauthUrlHttps';
  if (url.username !== '' || url.password !== '') return 'oauthUrlCredentials';
  return null;
}

interface OAuthRuleFacts {
  app: Registration & { flavour: OAuthFlavour };
  /** A client secret is stored for this very registration. */
  secretKept: boolean;
  /** A client secret is stored, but for a registration the form has changed. */
  secretStale: boolean;
}

/** The OAuth2 registration's rules, in order; per field the first that applies is shown. */
export const OAUTH_RULES: ReadonlyArray<{
  field: ProviderField;
  key: OAuthRuleKey;
  applies: (facts: OAuthRuleFacts) => boolean;
}> = [
  { field: 'clientId', key: 'clientIdRequired', applies: ({ app }) => app.clientId === '' },
  { field: 'clientId', key: 'clientIdInvalid', applies: ({ app }) => !CLIENT_ID.test(app.clientId) },
  {
    field: 'clientSecret',
    key: 'clientSecretOneLine',
    applies: ({ app }) => app.clientSecret.length > 4096 || /[\r\n\0]/.test(app.clientSecret),
  },
  {
    field: 'clientSecret',
    key: 'clientSecretReenter',
    applies: ({ app, secretStale }) => app.clientSecret === '' && secretStale,
  },
  {
    field: 'clientSecret',
    key: 'clientSecretRequired',
    applies: ({ app, secretKept }) => app.clientSecret === '' && !secretKept && app.flavour !== 'GENERIC',
  },
  {
    field: 'tenant',
    key: 'tenantRequired',
    applies: ({ app }) => app.flavour === 'MICROSOFT' && app.tenant === '',
  },
  {
    field: 'tenant',
    key: 'tenantInvalid',
    applies: ({ app }) => app.flavour === 'MICROSOFT' && !TENANT.test(app.tenant),
  },
  ...(['authorizeUrl', 'tokenUrl'] as const).flatMap((field) =>
    (['oauthUrlRequired', 'oauthUrlInvalid', 'oauthUrlHttps', 'oauthUrlCredentials'] as const).map((key) => ({
      field,
      key,
      applies: ({ app }: OAuthRuleFacts) => app.flavour === 'GENERIC' && urlProblem(app[field]) === key,
    })),
  ),
  {
    field: 'scopes',
    key: 'scopesRequired',
    applies: ({ app }) => app.flavour === 'GENERIC' && app.scopes.length === 0,
  },
  {
    field: 'scopes',
    key: 'scopesInvalid',
    applies: ({ app }) => app.scopes.length > 32 || app.scopes.some((scope) => !SCOPE.test(scope)),
  },
];

function oauthIssues(values: ProviderFormValues, context: RuleContext): FieldMessages {
  const app = registrationOf(values);
  const errors: FieldMessages = {};
  if (app.flavour === null) return errors;
  const stored = context.storedRegistration ?? null;
  const sameApp = stored !== null && sameRegistration(stored, values);
  const facts: OAuthRuleFacts = {
    app: { ...app, flavour: app.flavour },
    secretKept: sameApp,
    secretStale: stored !== null && !sameApp,
  };
  for (const rule of OAUTH_RULES) {
    if (!errors[rule.field] && rule.applies(facts)) errors[rule.field] = { key: rule.key };
  }
  return errors;
}

/** The form in the words of the shared rules (lower-case enum values, trimmed as it is sent). */
function ruleValues(values: ProviderFormValues): ProviderRuleValues {
  return {
    type: values.type.toLowerCase(),
    name: values.name,
    apiVendor: values.apiVendor === '' ? null : values.apiVendor.toLowerCase(),
    host: values.host.trim(),
    port: values.port.trim(),
    authMethod: authMethodOf(values).toLowerCase(),
    ...credentials(values),
    encryption: values.encryption.toLowerCase(),
    fromEmail: values.fromEmail.trim(),
    fromName: values.fromName,
  };
}

/** Every error of the form, keyed by field; an empty object means the API should accept it. */
export function validateProvider(values: ProviderFormValues, context: RuleContext): FieldMessages {
  const errors: FieldMessages = {};
  const passwordKept = context.passwordStored && credentials(values).password === '';
  // Choosing "Login" says a login is meant: empty fields are then forgotten ones, not a relay without one.
  const loginChosen = values.authentication === 'LOGIN';
  for (const issue of providerRuleIssues(ruleValues(values), { passwordKept, loginChosen })) {
    errors[issue.field] = issue.params ? { key: issue.code, params: issue.params } : { key: issue.code };
  }
  return { ...errors, ...oauthIssues(values, context) };
}

/** Advice that does not block saving: port/encryption mix-ups, plain mail across the network. */
export function providerWarnings(values: ProviderFormValues): FieldMessages {
  const warnings: FieldMessages = {};
  const context = { loginChosen: values.authentication === 'LOGIN' };
  for (const warning of ruleWarnings(ruleValues(values), context))
    warnings[warning.field] ??= { key: warning.code };
  return warnings;
}

/** The fields whose change clears a provider's verification. */
export const CREDENTIAL_FIELDS: readonly ProviderField[] = [
  'type',
  'apiVendor',
  'host',
  'port',
  'authentication',
  'username',
  'password',
  'clientId',
  'clientSecret',
  'tenant',
  'authorizeUrl',
  'tokenUrl',
  'scopes',
  'encryption',
];

export function credentialsChanged(original: ProviderFormValues, current: ProviderFormValues): boolean {
  const before = credentials(original);
  const after = credentials(current);
  const appBefore = registrationOf(original);
  const appAfter = registrationOf(current);
  return CREDENTIAL_FIELDS.some((field) => {
    if (field === 'password') return after.password !== '';
    if (field === 'username') return before.username.trim() !== after.username.trim();
    if (field === 'authentication')
      return authMethodOf(original) !== authMethodOf(current) || appBefore.flavour !== appAfter.flavour;
    if (field === 'clientSecret') return appAfter.flavour !== null && appAfter.clientSecret !== '';
    if (field === 'scopes') return appBefore.scopes.join(' ') !== appAfter.scopes.join(' ');
    if (isRegistrationField(field)) return appBefore[field] !== appAfter[field];
    return original[field].trim() !== current[field].trim();
  });
}

function isRegistrationField(field: ProviderField): field is (typeof REGISTRATION_FIELDS)[number] {
  return REGISTRATION_FIELDS.some((name) => name === field);
}

/** The OAuth2 settings to send: an empty client secret is left out so the stored one is kept. */
function oauthInput(values: ProviderFormValues): ProviderInput['oauth'] {
  const app = registrationOf(values);
  if (app.flavour === null) return null;
  return {
    flavour: app.flavour,
    clientId: app.clientId,
    ...(app.clientSecret !== '' ? { clientSecret: app.clientSecret } : {}),
    ...(app.flavour === 'MICROSOFT' ? { tenant: app.tenant } : {}),
    ...(app.flavour === 'GENERIC' ? { authorizeUrl: app.authorizeUrl, tokenUrl: app.tokenUrl } : {}),
    ...(app.scopes.length > 0 ? { scopes: app.scopes } : {}),
  };
}

/** The form's field an API error names (`oauth.clientId`, `authMethod`), or the name itself. */
export function formFieldOf(path: string): string {
  if (path === 'authMethod') return 'authentication';
  if (path === 'oauth') return 'clientId';
  return path.replace(/^oauth\./, '');
}

/** The mutation input; an empty password is left out so the stored one is kept (or none, with no login). */
export function toProviderInput(values: ProviderFormValues): ProviderInput {
  const { username, password } = credentials(values);
  const input: ProviderInput = {
    type: values.type,
    name: values.name.trim(),
    apiVendor: isApiType(values.type) && values.apiVendor !== '' ? values.apiVendor : null,
    host: values.host.trim(),
    port: Number(values.port.trim()),
    username,
    encryption: values.encryption,
    fromEmail: values.fromEmail.trim(),
    fromName: values.fromName,
    serviceType: values.serviceType,
    status: values.status,
  };
  if (password !== '') input.password = password;
  // An HTTP API always logs in with its key; its sign-in is left for the API to infer.
  if (!usesHttpApi(values)) input.authMethod = authMethodOf(values);
  const oauth = oauthInput(values);
  if (oauth) input.oauth = oauth;
  return input;
}

/** How the provider is reached; it decides which labels, help and examples the form shows. */
export type Connection = 'smtpServer' | 'serviceRelay' | 'httpApi';

export function connectionOf(values: Pick<ProviderFormValues, 'type' | 'apiVendor'>): Connection {
  if (usesHttpApi(values)) return 'httpApi';
  return isApiType(values.type) ? 'serviceRelay' : 'smtpServer';
}

/** A panel text by its full i18n key, with its parameters. */
export interface FormText {
  key: string;
  params?: Record<string, string | number>;
}

/** The texts of the form that follow what is chosen: type, API vendor, the preset a host belongs to, encryption. */
export interface FormHelp {
  hostLabel: FormText;
  host: FormText;
  hostPlaceholder: FormText;
  namePlaceholder: FormText;
  /** Sentences: the preset's published port and encryption, and (unless they are kept) the port that fits the encryption. */
  port: FormText[];
  encryption: FormText;
  username: FormText;
  /** No example where no username is needed. */
  usernamePlaceholder: FormText | null;
  password: FormText;
}

const text = (key: string, params?: FormText['params']): FormText => (params ? { key, params } : { key });

/** Per way of reaching the provider: the host's label, help and example, and the other fixed texts. */
const CONNECTION_TEXTS: Record<
  Connection,
  { hostLabel: string; host: string; namePlaceholder: string; encryption: string; password: string }
> = {
  smtpServer: {
    hostLabel: 'form.labels.host',
    host: 'form.help.host',
    namePlaceholder: 'form.placeholders.nameSmtp',
    encryption: 'form.help.encryption',
    password: 'form.help.password',
  },
  serviceRelay: {
    hostLabel: 'form.labels.host',
    host: 'form.help.hostRelay',
    namePlaceholder: 'form.placeholders.nameService',
    encryption: 'form.help.encryption',
    password: 'form.help.passwordRelay',
  },
  httpApi: {
    hostLabel: 'form.labels.hostApi',
    host: 'form.help.hostApi',
    namePlaceholder: 'form.placeholders.nameService',
    encryption: 'form.help.encryptionApi',
    password: 'form.help.passwordApi',
  },
};

/** The port that fits the encryption: SMTP's 465, 587 and 25, or HTTPS's 443 for an HTTP API. */
const PORT_HELP: Record<'smtp' | 'httpApi', Record<Encryption, string>> = {
  smtp: { SSL_TLS: 'form.portHelp.sslTls', STARTTLS: 'form.portHelp.starttls', NONE: 'form.portHelp.plain' },
  httpApi: {
    SSL_TLS: 'form.portHelp.https',
    STARTTLS: 'form.portHelp.https',
    NONE: 'form.portHelp.httpLocal',
  },
};

/** The preset the host belongs to, if it fits the way the provider is reached (an API host only for its vendor's API). */
function presetOf(values: ProviderFormValues, connection: Connection): VendorPreset | undefined {
  const preset = presetForHost(values.host);
  if (!preset) return undefined;
  const fits = connection === 'httpApi' ? preset.apiVendor === values.apiVendor : !preset.apiVendor;
  return fits ? preset : undefined;
}

function usernameTexts(
  values: ProviderFormValues,
  connection: Connection,
  preset: VendorPreset | undefined,
): Pick<FormHelp, 'username' | 'usernamePlaceholder'> {
  if (oauthFlavourOf(values)) {
    // Whatever the host, OAuth2 signs in as a mailbox.
    return {
      username: preset?.oauthFlavour
        ? text(`presets.usernameHints.${preset.usernameHint}`)
        : text('form.help.usernameOAuth'),
      usernamePlaceholder: text('form.placeholders.example', { example: 'noreply@example.com' }),
    };
  }
  if (connection === 'httpApi') {
    // What the vendor's API takes, whatever host was typed: never SMTP advice.
    const hint = values.apiVendor === '' ? undefined : defaultApiPreset(values.apiVendor)?.usernameHint;
    return { username: text(`presets.usernameHints.${hint ?? 'apiKeyOnly'}`), usernamePlaceholder: null };
  }
  if (preset) {
    return {
      username: text(`presets.usernameHints.${preset.usernameHint}`),
      usernamePlaceholder: preset.username
        ? text('form.placeholders.example', { example: preset.username })
        : text('form.placeholders.username'),
    };
  }
  return {
    username: text(connection === 'serviceRelay' ? 'form.help.usernameRelay' : 'form.help.username'),
    usernamePlaceholder: text('form.placeholders.username'),
  };
}

function portTexts(values: ProviderFormValues, connection: Connection, preset: VendorPreset | undefined) {
  const fits = text(PORT_HELP[connection === 'httpApi' ? 'httpApi' : 'smtp'][values.encryption]);
  if (!preset || connection === 'httpApi') return [fits];
  const published = text(`form.portHelp.preset.${preset.encryption}`, {
    label: preset.label,
    port: preset.port,
  });
  // Kept as published, the preset says it all; changed, the port that fits the new encryption follows.
  const asPublished = values.port.trim() === String(preset.port) && values.encryption === preset.encryption;
  return asPublished ? [published] : [published, fits];
}

/** Every text of the form that depends on its values, as i18n keys (tested as a table). */
export function formHelp(values: ProviderFormValues): FormHelp {
  const connection = connectionOf(values);
  const texts = CONNECTION_TEXTS[connection];
  const preset = presetOf(values, connection);
  const apiHost = values.apiVendor === '' ? undefined : defaultApiPreset(values.apiVendor)?.host;
  return {
    hostLabel: text(texts.hostLabel),
    host: text(texts.host),
    hostPlaceholder:
      connection === 'httpApi' && apiHost
        ? text('form.placeholders.example', { example: apiHost })
        : text('form.placeholders.host'),
    namePlaceholder:
      connection === 'httpApi'
        ? text('form.placeholders.example', { example: `${values.apiVendor.toLowerCase()}-api` })
        : text(texts.namePlaceholder),
    port: portTexts(values, connection, preset),
    encryption: text(texts.encryption),
    ...usernameTexts(values, connection, preset),
    password: text(texts.password),
  };
}
