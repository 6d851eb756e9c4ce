import { API_VENDORS } from '../provider';
import { isAddrSpec } from './address-spec';
import { hostProblem, isLoopbackHost } from './host';
import { MAX_ADDRESS_LENGTH, PROVIDER_LIMITS } from './limits';
import { isPlaceholder } from './placeholder';

/**
 * A provider's settings as the rules read them, in the engine's words (lower-case enum values). The panel
 * reads its form into this shape; a field left out, or of the wrong type, is not judged here (the caller's
 * own type checks report it).
 */
export interface ProviderRuleInput {
  type?: string;
  name?: string;
  apiVendor?: string | null;
  host?: string;
  /** A number, or the text of the form's Port field. */
  port?: number | string;
  /** `password`, `oauth2` or `none`; left out, inferred from Username (see authMethodOf). */
  authMethod?: string;
  username?: string;
  password?: string;
  encryption?: string;
}

/** The sender fields, judged like the others. */
export interface SenderRuleInput {
  fromEmail?: string;
  fromName?: string;
}

export type ProviderRuleValues = ProviderRuleInput & SenderRuleInput;

export interface ProviderRuleContext {
  /** The password is left empty to keep the one stored: it counts as given. */
  passwordKept?: boolean;
  /** A form's explicit "Login" choice: a login is meant even while Username and Password are still empty. */
  loginChosen?: boolean;
}

/** The fields the rules judge, in the order of the form (and of the issues returned). */
export const PROVIDER_RULE_FIELDS = [
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
] as const;
export type ProviderRuleField = (typeof PROVIDER_RULE_FIELDS)[number];

/** Every way a field can break the rules; each consumer words them (English here, the panel per language). */
export type ProviderRuleCode =
  | 'nameRequired'
  | 'tooLong'
  | 'noLineBreaks'
  | 'noControlCharacters'
  | 'vendorUnknown'
  | 'vendorOnlyForApi'
  | 'hostRequired'
  | 'hostSpaces'
  | 'hostScheme'
  | 'hostPath'
  | 'hostPort'
  | 'hostInvalid'
  | 'portRequired'
  | 'portInvalid'
  | 'usernameRequired'
  | 'oauthUsernameEmail'
  | 'passwordRequired'
  | 'apiKeyRequired'
  | 'passwordPlaceholder'
  | 'plainLoopbackOnly'
  | 'plainHttpLoopbackOnly'
  | 'starttlsWithApi'
  | 'fromEmailRequired'
  | 'fromEmailInvalid';

export interface ProviderRuleIssue {
  field: ProviderRuleField;
  code: ProviderRuleCode;
  /** `max` for tooLong. */
  params?: { max: number };
}

type TextField = 'name' | 'host' | 'username' | 'fromEmail' | 'fromName';

/** How one text field is judged: line breaks and control characters first, then emptiness, length, form. */
export interface TextFieldRule {
  /** Judged trimmed, as it is stored. */
  trimmed: boolean;
  /** The code for an empty value; absent when the field may stay empty. */
  required?: ProviderRuleCode;
  max?: number;
  /** What the value must look like once it is there and short enough. */
  form?: (value: string) => ProviderRuleCode | undefined;
}

/**
 * The text fields. All of them reach mail headers, the SMTP dialogue or the database, so none may hold a
 * line break (header injection) or another control character (PostgreSQL refuses NUL; a tab in a name is
 * a pasting accident).
 */
export const TEXT_FIELD_RULES: Readonly<Record<TextField, TextFieldRule>> = {
  name: { trimmed: true, required: 'nameRequired', max: PROVIDER_LIMITS.nameMax },
  host: { trimmed: false, required: 'hostRequired', max: PROVIDER_LIMITS.hostMax, form: hostProblem },
  username: { trimmed: false, max: PROVIDER_LIMITS.usernameMax },
  fromEmail: {
    trimmed: false,
    required: 'fromEmailRequired',
    max: MAX_ADDRESS_LENGTH,
    form: (value) => (isAddrSpec(value) ? undefined : 'fromEmailInvalid'),
  },
  fromName: { trimmed: false, max: PROVIDER_LIMITS.fromNameMax },
};

const LINE_BREAK = /[\r\n]/;
// eslint-disable-next-line no-control-regex
const OTHER_CONTROL = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/;

/** The settings with the facts the rules between fields look at. */
export interface ProviderRuleFacts {
  values: ProviderRuleValues;
  /** Reached through a vendor's HTTP API: Password holds an API key, and there is no SMTP login. */
  httpApi: boolean;
  hasUsername: boolean;
  hasPassword: boolean;
  /**
   * SMTP with a login: a username or a password is there, or a login was chosen (both must be there), or
   * the provider signs in with OAuth2.
   */
  smtpLogin: boolean;
  /** SMTP signing in with OAuth2: Username is the mailbox, and no password is used. */
  oauth2: boolean;
  /** The host is well formed and is not this machine. */
  remoteHost: boolean;
}

/** A rule that looks at several fields; it is broken when `when` holds. */
export interface CrossFieldRule {
  field: ProviderRuleField;
  code: ProviderRuleCode;
  when: (facts: ProviderRuleFacts) => boolean;
}

/**
 * The rules between fields, first broken rule of a field wins. The login rule: an SMTP relay either has a
 * username and a password, or neither (a relay that trusts this server by its address). Plain SMTP may
 * carry no password except toward this machine; with no login there is none to carry, so any host will do
 * (with a warning). An API key always needs HTTPS unless the API runs on this machine.
 */
export const CROSS_FIELD_RULES: readonly CrossFieldRule[] = [
  {
    field: 'apiVendor',
    code: 'vendorUnknown',
    when: ({ values }) =>
      values.apiVendor != null && !API_VENDORS.some((vendor) => vendor === values.apiVendor),
  },
  {
    field: 'apiVendor',
    code: 'vendorOnlyForApi',
    when: ({ values }) => values.type === 'smtp' && values.apiVendor != null,
  },
  {
    field: 'username',
    code: 'oauthUsernameEmail',
    when: ({ values, oauth2 }) => oauth2 && !isAddrSpec(values.username ?? ''),
  },
  {
    field: 'username',
    code: 'usernameRequired',
    when: ({ smtpLogin, hasUsername }) => smtpLogin && !hasUsername,
  },
  { field: 'password', code: 'apiKeyRequired', when: ({ httpApi, hasPassword }) => httpApi && !hasPassword },
  {
    field: 'password',
    code: 'passwordRequired',
    when: ({ smtpLogin, oauth2, hasPassword }) => smtpLogin && !oauth2 && !hasPassword,
  },
  {
    field: 'password',
    code: 'passwordPlaceholder',
    when: ({ values }) =>
      values.password !== undefined && values.password !== '' && isPlaceholder(values.password),
  },
  {
    field: 'password',
    code: 'noLineBreaks',
    when: ({ values }) => values.password !== undefined && LINE_BREAK.test(values.password),
  },
  {
    field: 'encryption',
    code: 'plainHttpLoopbackOnly',
    when: ({ values, httpApi, remoteHost }) => httpApi && values.encryption === 'none' && remoteHost,
  },
  {
    field: 'encryption',
    code: 'plainLoopbackOnly',
    when: ({ values, httpApi, smtpLogin, remoteHost }) =>
      !httpApi && smtpLogin && values.encryption === 'none' && remoteHost,
  },
  {
    field: 'encryption',
    code: 'starttlsWithApi',
    when: ({ values, httpApi }) => httpApi && values.encryption === 'starttls',
  },
];

/** True when the provider is reached through a known vendor's HTTP API rather than over SMTP. */
export function reachedOverHttp(values: Pick<ProviderRuleInput, 'type' | 'apiVendor'>): boolean {
  return values.type !== 'smtp' && API_VENDORS.some((vendor) => vendor === values.apiVendor);
}

/**
 * An SMTP relay that never sends a password: one without a username (no login), or one whose sign-in
 * method is OAuth2 or none.
 */
export function sendsNoPassword(
  values: Pick<ProviderRuleInput, 'type' | 'apiVendor' | 'username' | 'authMethod'>,
): boolean {
  if (reachedOverHttp(values)) return false;
  if (values.authMethod === 'oauth2' || values.authMethod === 'none') return true;
  return values.authMethod !== 'password' && values.username === '';
}

/** An SMTP relay with neither username nor password: it trusts this server by its address. */
export function isNoLoginRelay(
  values: Pick<ProviderRuleInput, 'type' | 'apiVendor' | 'username' | 'password'>,
): boolean {
  return !reachedOverHttp(values) && values.username === '' && values.password === '';
}

function factsOf(values: ProviderRuleValues, context: ProviderRuleContext): ProviderRuleFacts {
  const httpApi = reachedOverHttp(values);
  const oauth2 = !httpApi && values.authMethod === 'oauth2';
  const hasUsername = values.username !== undefined && values.username !== '';
  const hasPassword =
    (values.password !== undefined && values.password !== '') || context.passwordKept === true;
  const host = values.host;
  return {
    values,
    httpApi,
    hasUsername,
    hasPassword,
    smtpLogin:
      !httpApi &&
      values.authMethod !== 'none' &&
      (hasUsername ||
        hasPassword ||
        context.loginChosen === true ||
        values.authMethod === 'password' ||
        oauth2),
    oauth2,
    remoteHost: host !== undefined && hostProblem(host) === undefined && !isLoopbackHost(host),
  };
}

function textIssue(field: TextField, raw: string): ProviderRuleIssue | undefined {
  const rule = TEXT_FIELD_RULES[field];
  if (LINE_BREAK.test(raw)) return { field, code: 'noLineBreaks' };
  if (OTHER_CONTROL.test(raw)) return { field, code: 'noControlCharacters' };
  const value = rule.trimmed ? raw.trim() : raw;
  if (value === '' && rule.required) return { field, code: rule.required };
  if (rule.max !== undefined && value.length > rule.max) {
    return { field, code: 'tooLong', params: { max: rule.max } };
  }
  const problem = rule.form?.(value);
  return problem ? { field, code: problem } : undefined;
}

function portIssue(port: number | string): ProviderRuleIssue | undefined {
  let value = port;
  if (typeof value === 'string') {
    if (value === '') return { field: 'port', code: 'portRequired' };
    if (!/^\d+$/.test(value)) return { field: 'port', code: 'portInvalid' };
    value = Number(value);
  }
  const inRange =
    Number.isInteger(value) && value >= PROVIDER_LIMITS.portMin && value <= PROVIDER_LIMITS.portMax;
  return inRange ? undefined : { field: 'port', code: 'portInvalid' };
}

/**
 * Every rule a provider's settings break, at most one per field, in form order. The engine, the API and
 * the panel all judge settings with this function, so they agree on every value.
 */
export function providerRuleIssues(
  values: ProviderRuleValues,
  context: ProviderRuleContext = {},
): ProviderRuleIssue[] {
  const found = new Map<ProviderRuleField, ProviderRuleIssue>();
  const add = (issue: ProviderRuleIssue | undefined): void => {
    if (issue && !found.has(issue.field)) found.set(issue.field, issue);
  };
  for (const field of Object.keys(TEXT_FIELD_RULES) as TextField[]) {
    const value = values[field];
    if (typeof value === 'string') add(textIssue(field, value));
  }
  if (typeof values.port === 'number' || typeof values.port === 'string') add(portIssue(values.port));
  const facts = factsOf(values, context);
  for (const rule of CROSS_FIELD_RULES) {
    if (!found.has(rule.field) && rule.when(facts)) add({ field: rule.field, code: rule.code });
  }
  return PROVIDER_RULE_FIELDS.flatMap((field) => {
    const issue = found.get(field);
    return issue ? [issue] : [];
  });
}

/** Advice that does not stop a provider from working. */
export type ProviderWarningCode = 'starttlsOn465' | 'sslOn587' | 'plainRelay';

export interface ProviderWarning {
  field: 'encryption';
  code: ProviderWarningCode;
}

/** The advice table: a port/encryption mix-up usually fails with "wrong version number" or a timeout. */
export const WARNING_RULES: ReadonlyArray<{
  code: ProviderWarningCode;
  when: (facts: ProviderRuleFacts) => boolean;
}> = [
  {
    code: 'starttlsOn465',
    when: ({ values, httpApi }) =>
      !httpApi && Number(values.port) === 465 && values.encryption === 'starttls',
  },
  {
    code: 'sslOn587',
    when: ({ values, httpApi }) => !httpApi && Number(values.port) === 587 && values.encryption === 'ssl_tls',
  },
  {
    code: 'plainRelay',
    when: ({ values, httpApi, smtpLogin, remoteHost }) =>
      !httpApi && !smtpLogin && values.encryption === 'none' && remoteHost,
  },
];

/** The advice for these settings, in table order. */
export function providerWarnings(
  values: ProviderRuleInput,
  context: ProviderRuleContext = {},
): ProviderWarning[] {
  const facts = factsOf(values, context);
  return WARNING_RULES.filter((rule) => rule.when(facts)).map((rule) => ({
    field: 'encryption',
    code: rule.code,
  }));
}
