// The provider form read into the shared provider rules (@mail-providers/mailer-core/rules, the table the
// API and the engine judge with), so mistakes show while typing. The API stays the authority: whatever it
// refuses is shown at the field it names.

import {
  providerRuleIssues,
  providerWarnings as ruleWarnings,
  type ProviderRuleCode,
  type ProviderRuleValues,
  type ProviderWarningCode,
} from '@mail-providers/mailer-core/rules';
import type {
  ApiVendor,
  Encryption,
  Provider,
  ProviderInput,
  ProviderStatus,
  ProviderType,
  ServiceType,
} from '../graphql/types';

/**
 * How the provider signs in to an SMTP relay: with a username and password, or not at all (a relay that
 * trusts this server, such as a local Postfix or a smarthost that accepts this server by its address).
 */
export type Authentication = 'LOGIN' | 'NONE';
export const AUTHENTICATIONS: readonly Authentication[] = ['LOGIN', 'NONE'];

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
  'encryption',
  'fromEmail',
  'fromName',
  'serviceType',
  'status',
];

/** The i18n keys under `rules.`: one per code of the shared rules and warnings, and the form's own. */
export type RuleKey = ProviderRuleCode | ProviderWarningCode;

/** An i18n key under `rules.` with its parameters. */
export interface RuleMessage {
  key: RuleKey;
  params?: Record<string, string | number>;
}

export type FieldMessages = Partial<Record<ProviderField, RuleMessage>>;

export interface RuleContext {
  /** Editing a provider whose password is stored: an empty password keeps it. */
  passwordStored: boolean;
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
    encryption: provider.encryption,
    fromEmail: provider.fromEmail,
    fromName: provider.fromName,
    serviceType: provider.serviceType,
    status: provider.status,
  };
  // An SMTP relay saved without a username never logs in (whatever password an older version kept).
  if (!usesHttpApi(values) && provider.username === '') values.authentication = 'NONE';
  return values;
}

export function isApiType(type: ProviderType): boolean {
  return type !== 'SMTP';
}

/** The provider is reached through a vendor's HTTP API rather than SMTP. */
export function usesHttpApi(values: Pick<ProviderFormValues, 'type' | 'apiVendor'>): boolean {
  return isApiType(values.type) && values.apiVendor !== '';
}

/** "No login" is chosen for an SMTP relay: Username and Password are not sent at all. */
export function withoutLogin(
  values: Pick<ProviderFormValues, 'type' | 'apiVendor' | 'authentication'>,
): boolean {
  return values.authentication === 'NONE' && !usesHttpApi(values);
}

/** The username and password the form stands for: none at all when "No login" is chosen. */
function credentials(values: ProviderFormValues): { username: string; password: string } {
  return withoutLogin(values)
    ? { username: '', password: '' }
    : { username: values.username, password: values.password };
}

/** The form in the words of the shared rules (lower-case enum values, trimmed as it is sent). */
function ruleValues(values: ProviderFormValues): ProviderRuleValues {
  return {
    type: values.type.toLowerCase(),
    name: values.name,
    apiVendor: values.apiVendor === '' ? null : values.apiVendor.toLowerCase(),
    host: values.host.trim(),
    port: values.port.trim(),
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
  return errors;
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
  'encryption',
];

export function credentialsChanged(original: ProviderFormValues, current: ProviderFormValues): boolean {
  const before = credentials(original);
  const after = credentials(current);
  return CREDENTIAL_FIELDS.some((field) => {
    if (field === 'password') return after.password !== '';
    if (field === 'username') return before.username.trim() !== after.username.trim();
    if (field === 'authentication') return withoutLogin(original) !== withoutLogin(current);
    return original[field].trim() !== current[field].trim();
  });
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
  return input;
}
