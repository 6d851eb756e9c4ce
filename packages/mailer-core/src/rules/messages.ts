import { API_VENDORS } from '../provider';
import type {
  ProviderRuleCode,
  ProviderRuleField,
  ProviderRuleIssue,
  ProviderWarningCode,
} from './provider-field-rules';

/** How the English messages name each field. */
const FIELD_NAMES: Readonly<Record<ProviderRuleField, string>> = {
  type: 'provider type',
  name: 'provider name',
  apiVendor: 'API vendor',
  host: 'host name',
  port: 'port',
  username: 'username',
  password: 'password or API key',
  encryption: 'encryption',
  fromEmail: 'From Email',
  fromName: 'From Name',
};

const NO_LOGIN = 'leave Username and Password both empty for a relay that needs no login';

const MESSAGES: Readonly<Record<ProviderRuleCode, (field: string, max: number) => string>> = {
  nameRequired: () => 'Enter a provider name (1–64 characters).',
  tooLong: (field, max) => `Shorten the ${field} to ${max} characters or fewer.`,
  noLineBreaks: (field) => `Remove line breaks from the ${field}.`,
  noControlCharacters: (field) => `Remove control characters (such as tabs) from the ${field}.`,
  vendorUnknown: () =>
    `Choose an API vendor among ${API_VENDORS.join(', ')}, or leave it empty to use the SMTP relay.`,
  vendorOnlyForApi: () => 'Leave the API vendor empty for an SMTP provider, or choose an API provider type.',
  hostRequired: () => 'Enter the host name, e.g. smtp.example.com.',
  hostSpaces: () => 'Remove spaces from the host name.',
  hostScheme: () => 'Enter the host name only, without a scheme such as https:// (e.g. smtp.example.com).',
  hostPath: () => 'Enter the host name only, without a path (e.g. smtp.example.com).',
  hostPort: () => 'Enter the host without ":port"; put the port in the Port field.',
  hostInvalid: () => 'Enter a valid host name (letters, digits, hyphens and dots) or an IP address.',
  portRequired: () => 'Enter the port, a whole number between 1 and 65535.',
  portInvalid: () => 'Use a port between 1 and 65535 (a whole number).',
  usernameRequired: () => `Enter the username that goes with the password, or ${NO_LOGIN}.`,
  oauthUsernameEmail: () =>
    "Enter the mailbox's email address as the username (e.g. noreply@example.com): OAuth2 signs in as that mailbox.",
  passwordRequired: () => `Enter the password for this username, or ${NO_LOGIN}.`,
  apiKeyRequired: () => 'Enter the API key in Password: an HTTP API vendor always needs one.',
  passwordPlaceholder: () =>
    'This looks like a placeholder; paste the real password or API key from the provider.',
  plainLoopbackOnly: () =>
    `Encryption none would send the password in clear text, so with a login it is allowed only toward localhost. Choose SSL/TLS or STARTTLS, or ${NO_LOGIN}.`,
  plainHttpLoopbackOnly: () =>
    'Encryption none would send the API key in clear text over plain http, which is allowed only toward localhost. Choose SSL/TLS.',
  starttlsWithApi: () =>
    'An HTTP API vendor is reached over https (choose SSL/TLS) or, toward localhost only, plain http (choose none).',
  fromEmailRequired: () => 'Enter the From Email as a plain address such as noreply@example.com.',
  fromEmailInvalid: () => 'Enter the From Email as a plain address such as noreply@example.com.',
};

/** An issue in English that says what to do (the API's and the engine's words). */
export function providerRuleMessage(issue: ProviderRuleIssue): string {
  return MESSAGES[issue.code](FIELD_NAMES[issue.field], issue.params?.max ?? 0);
}

const WARNINGS: Readonly<Record<ProviderWarningCode, string>> = {
  starttlsOn465:
    'Port 465 expects SSL/TLS from the first byte, but STARTTLS is chosen: use SSL/TLS on 465, or STARTTLS on 587.',
  sslOn587:
    'Port 587 expects STARTTLS, but SSL/TLS is chosen (this fails with "wrong version number"): use STARTTLS on 587, or SSL/TLS on 465.',
  plainRelay:
    'Mail to this relay crosses the network unencrypted: anyone on the path can read it. Choose STARTTLS if the relay offers it, or keep the relay on a network you trust.',
};

/** A warning in English. */
export function providerWarningMessage(code: ProviderWarningCode): string {
  return WARNINGS[code];
}
