import type { ProviderConfig } from '@mail-providers/mailer-core';
import {
  providerRuleIssues,
  providerRuleMessage,
  reachedOverHttp,
  sendsNoPassword,
  type ProviderRuleIssue,
} from '@mail-providers/mailer-core/rules';
import { BadUserInputError, type FieldError } from '../errors';
import type { AuthMethod } from '../oauth/auth-method';
import { authIssues, resolveAuthMethod, type StoredOAuthApp } from '../oauth/oauth-settings';
import type { ProviderInput } from '../resolvers/types/provider.input';

/** A provider's settings as the engine takes them, minus what the database assigns (id, priority). */
export type ProviderSettings = Omit<ProviderConfig, 'id' | 'priority' | 'tls'>;

/** Valid settings with the way the provider logs in, as the input asked for it. */
export type ValidProviderSettings = ProviderSettings & Required<Pick<ProviderSettings, 'authMethod'>>;

/**
 * Everything that affects how mail is sent, in the order of the provider form: all settings but status
 * (and priority, which only a reorder changes).
 */
export const SETTING_FIELDS = [
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
] as const;
export type SettingField = (typeof SETTING_FIELDS)[number];

/** The form's fields in order, so errors read top to bottom like the panel. */
const FORM_ORDER: ReadonlyArray<keyof ProviderInput> = [...SETTING_FIELDS, 'status', 'authMethod', 'oauth'];

/**
 * What a stored password was given for: where it is sent and as whom. Sending it anywhere else, or as
 * anyone else, would hand the secret to whoever chose the new destination, so a left-out password stands
 * for the stored one only while all of these stay the same.
 */
export const PASSWORD_BINDING = ['type', 'apiVendor', 'host', 'port', 'username', 'encryption'] as const;
export type PasswordBindingField = (typeof PASSWORD_BINDING)[number];

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length < 2 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1) ?? ''}`;
}

/** The rule above in the words of the GraphQL schema (ProviderInput's field names), for its descriptions. */
export const STORED_PASSWORD_RULE = `an omitted or empty password keeps the stored one only while ${listed(PASSWORD_BINDING)} stay as stored (an SMTP relay whose username is empty has no login and keeps no password)`;

/** A saved provider's password together with the destination and identity it was stored for. */
export type StoredPassword = Pick<ProviderSettings, PasswordBindingField | 'password'>;

const BINDING_LABELS: Record<PasswordBindingField, string> = {
  type: 'Provider Type',
  apiVendor: 'API vendor',
  host: 'SMTP Host',
  port: 'Port',
  username: 'Username',
  encryption: 'Encryption',
};

export interface ValidateOptions {
  /** What the client calls the input argument; field paths are `<argument>.<field>`. */
  argument?: string;
  /**
   * The saved provider's password (update, or verifying saved settings). It stands in for a password the
   * input leaves out, but only while the input keeps every field of PASSWORD_BINDING as stored.
   */
  stored?: StoredPassword;
  /** The saved provider's login (update): its stored method and OAuth2 registration. */
  storedAuth?: { method: AuthMethod | null; app: StoredOAuthApp | null };
}

/** The password the input asks for: a non-empty string, or nothing (keep the stored one). */
export function givenPassword(input: Pick<ProviderInput, 'password'>): string | undefined {
  return typeof input.password === 'string' && input.password !== '' ? input.password : undefined;
}

/** The fields of PASSWORD_BINDING whose input value differs from what the password was stored for. */
function movedBindingFields(input: ProviderInput, stored: StoredPassword): PasswordBindingField[] {
  const next: Record<PasswordBindingField, unknown> = {
    type: input.type,
    apiVendor: input.apiVendor ?? null,
    host: input.host,
    port: input.port,
    username: input.username,
    encryption: input.encryption,
  };
  const before: Record<PasswordBindingField, unknown> = { ...stored, apiVendor: stored.apiVendor ?? null };
  return PASSWORD_BINDING.filter((field) => next[field] !== before[field]);
}

/**
 * The password the settings will use, and the binding fields that stop the stored one from standing in for
 * a left-out password (empty when a password is given, nothing is stored, or nothing moved). An SMTP relay
 * whose username is empty, given no password, has no login: its password is empty, whatever is stored.
 */
function resolvePassword(
  input: ProviderInput,
  stored: StoredPassword | undefined,
): { password: string | undefined; moved: PasswordBindingField[] } {
  const given = givenPassword(input);
  if (given === undefined && sendsNoPassword({ ...input, authMethod: input.authMethod ?? undefined })) {
    return { password: '', moved: [] };
  }
  if (given !== undefined || stored === undefined) return { password: given, moved: [] };
  const moved = movedBindingFields(input, stored);
  return { password: moved.length === 0 ? stored.password : undefined, moved };
}

function reenterPasswordAdvice(moved: readonly PasswordBindingField[]): string {
  const changed = listed(moved.map((field) => BINDING_LABELS[field]));
  const all = listed(PASSWORD_BINDING.map((field) => BINDING_LABELS[field]));
  return `Enter the password or API key again: ${changed} changed, and the stored one is kept only while ${all} stay the same.`;
}

/** What the API says for a password that is needed and neither given nor stored. */
function missingPasswordAdvice(input: ProviderInput): string {
  return reachedOverHttp(input)
    ? 'Enter the API key in Password; a new provider needs one.'
    : 'Enter the password for this username (a new provider needs one), or leave Username and Password both empty for a relay that needs no login.';
}

/** The shared English advice, or the API's own for a password that is missing rather than typed empty. */
function messageFor(issue: ProviderRuleIssue, input: ProviderInput, passwordMissing: boolean): string {
  const needed = issue.code === 'passwordRequired' || issue.code === 'apiKeyRequired';
  return needed && passwordMissing ? missingPasswordAdvice(input) : providerRuleMessage(issue);
}

/**
 * Checks a provider input with the shared provider rules (the table the engine and the panel judge with
 * too), plus what only the API knows: whether a stored password stands in for a left-out one. Returns
 * every problem, one per field, in form order, named by the input's GraphQL fields.
 */
export function providerInputIssues(input: ProviderInput, options: ValidateOptions = {}): FieldError[] {
  const argument = options.argument ?? 'input';
  const byField = new Map<string, string>();
  const add = (field: string, message: string): void => {
    if (!byField.has(field)) byField.set(field, message);
  };

  const method = resolveAuthMethod(input, options.storedAuth?.method);
  // An OAuth2 provider sends an access token, never a password.
  const { password, moved } =
    method === 'oauth2' ? { password: '', moved: [] } : resolvePassword(input, options.stored);
  if (moved.length > 0) add('password', reenterPasswordAdvice(moved));
  for (const issue of authIssues(input, method, options.storedAuth?.app ?? null))
    add(issue.field, issue.message);

  // The name as typed: the rules trim it themselves, and a line break at its end is still refused.
  // The rules infer a method left out themselves (and so judge a password without a username).
  const ruled = input.authMethod ?? (method === 'oauth2' ? method : undefined);
  const candidate = { ...toSettings(input, password ?? '', ruled), name: input.name };
  for (const issue of providerRuleIssues(candidate)) {
    add(issue.field, messageFor(issue, input, password === undefined));
  }

  const rank = (field: string): number => {
    const index = FORM_ORDER.indexOf(field as keyof ProviderInput);
    return index < 0 ? FORM_ORDER.length : index;
  };
  return [...byField]
    .sort(([a], [b]) => rank(a) - rank(b))
    .map(([field, message]) => ({ field: `${argument}.${field}`, message }));
}

/** The input as engine settings; the name is trimmed as the rules read it. */
export function toSettings(
  input: ProviderInput,
  password: string,
  authMethod?: AuthMethod,
): ProviderSettings {
  return {
    ...(authMethod ? { authMethod } : {}),
    type: input.type,
    name: typeof input.name === 'string' ? input.name.trim() : input.name,
    apiVendor: input.apiVendor ?? null,
    host: input.host,
    port: input.port,
    username: input.username,
    password,
    encryption: input.encryption,
    fromEmail: input.fromEmail,
    fromName: input.fromName,
    serviceType: input.serviceType,
    status: input.status ?? 'inactive',
  };
}

/**
 * The settings of a valid input, or BAD_USER_INPUT naming every bad field. The `stored` password stands in
 * for a password the input leaves out, as long as the destination and identity it was stored for stay.
 */
export function validProviderSettings(
  input: ProviderInput,
  options: ValidateOptions = {},
): ValidProviderSettings {
  const issues = providerInputIssues(input, options);
  if (issues.length > 0) {
    throw new BadUserInputError(
      issues,
      'Some provider settings are not valid; correct the fields listed and try again.',
    );
  }
  const authMethod = resolveAuthMethod(input, options.storedAuth?.method);
  if (authMethod === 'oauth2') return { ...toSettings(input, ''), authMethod };
  const { password } = resolvePassword(input, options.stored);
  // Valid settings have their password, or none on purpose (no login): a missing one is reported above.
  return { ...toSettings(input, password ?? ''), authMethod };
}
