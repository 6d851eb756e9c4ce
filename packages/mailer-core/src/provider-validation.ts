import { isIP } from 'node:net';
import { z } from 'zod';
import { MAX_ADDRESS_LENGTH, isAddrSpec } from './address';
import { API_VENDORS, type ProviderConfig } from './provider';

/** One thing wrong with a provider's settings; `message` tells the operator what to do. */
export interface ValidationIssue {
  /** The ProviderConfig field (`host`, `password`, `tls.ca` …). */
  field: string;
  message: string;
}

/** Thrown by the engine when it is handed a provider whose settings break the rules of SPEC §2. */
export class ProviderConfigError extends Error {
  constructor(
    readonly providerId: string,
    readonly issues: ValidationIssue[],
  ) {
    super(
      `Invalid settings for provider ${providerId}: ${issues.map((i) => `${i.field}: ${i.message}`).join(' ')}`,
    );
    this.name = 'ProviderConfigError';
  }
}

const NO_LINE_BREAKS = /^[^\r\n]*$/;
const VENDOR_MESSAGE = `Choose an API vendor among ${API_VENDORS.join(', ')}, or leave it empty to use the SMTP relay.`;
const HOSTNAME_LABEL = /^(?!-)[A-Za-z0-9_-]{1,63}(?<!-)$/;

const schema = z.object({
  id: z.string().min(1, 'Give the provider an id.'),
  type: z.enum(['smtp', 'api_smtp', 'crm_api_smtp'], {
    error: 'Choose a provider type: smtp, api_smtp or crm_api_smtp.',
  }),
  name: z
    .string({ error: 'Enter a provider name.' })
    .trim()
    .min(1, 'Enter a provider name (1–64 characters).')
    .max(64, 'Shorten the provider name to 64 characters or fewer.')
    .regex(NO_LINE_BREAKS, 'Remove line breaks from the provider name.'),
  apiVendor: z
    .string({ error: VENDOR_MESSAGE })
    .refine((vendor) => API_VENDORS.some((known) => known === vendor), VENDOR_MESSAGE)
    .nullish(),
  host: z.string({ error: 'Enter the host name.' }),
  port: z
    .number({ error: 'Enter the port as a number.' })
    .int('Enter the port as a whole number.')
    .min(1, 'Use a port between 1 and 65535.')
    .max(65535, 'Use a port between 1 and 65535.'),
  username: z
    .string({ error: 'Enter the username (it may be empty when the server needs no login).' })
    .max(256, 'Shorten the username to 256 characters or fewer.')
    .regex(NO_LINE_BREAKS, 'Remove line breaks from the username.'),
  password: z.string({ error: 'Enter the password or API key.' }),
  encryption: z.enum(['ssl_tls', 'starttls', 'none'], {
    error: 'Choose an encryption: ssl_tls, starttls or none.',
  }),
  fromEmail: z.string({ error: 'Enter the From Email address.' }),
  fromName: z
    .string({ error: 'Enter the From Name (it may be empty).' })
    .max(128, 'Shorten the From Name to 128 characters or fewer.')
    .regex(NO_LINE_BREAKS, 'Remove line breaks from the From Name.'),
  serviceType: z.enum(['primary', 'fallback'], { error: 'Choose a service type: primary or fallback.' }),
  status: z.enum(['active', 'inactive'], { error: 'Choose a status: active or inactive.' }),
  priority: z
    .number({ error: 'Give the priority as a number.' })
    .int('Give the priority as a whole number (1 first).')
    .min(1, 'Give the priority as a whole number from 1 (first).'),
  tls: z
    .object({
      ca: z.union([z.string(), z.instanceof(Buffer), z.array(z.union([z.string(), z.instanceof(Buffer)]))], {
        error: 'Give tls.ca as PEM text or a list of PEM certificates.',
      }),
      rejectUnauthorized: z.boolean({ error: 'Set tls.rejectUnauthorized to true or false.' }),
      servername: z
        .string({ error: 'Give tls.servername as a host name.' })
        .min(1, 'Give tls.servername as a host name.')
        .max(253, 'Give tls.servername as a host name of 253 characters or fewer.'),
    })
    .partial()
    .optional(),
});

/**
 * Checks a provider's settings against the rules of SPEC §2. An empty list means the settings are
 * acceptable; otherwise each entry names a field and says how to fix it. The API uses the same function,
 * so the library and the API agree.
 */
export function validateProviderConfig(input: unknown): ValidationIssue[] {
  const parsed = schema.safeParse(input);
  const issues: ValidationIssue[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.') || 'provider';
      if (!issues.some((known) => known.field === field)) issues.push({ field, message: issue.message });
    }
  }
  const value = isRecord(input) ? input : {};
  const add = (field: string, message: string): void => {
    if (!issues.some((known) => known.field === field)) issues.push({ field, message });
  };

  const host = value.host;
  if (typeof host === 'string') {
    const problem = hostProblem(host);
    if (problem) add('host', problem);
  }

  const password = value.password;
  if (typeof password === 'string') {
    if (password.length === 0) add('password', 'Enter the password or API key.');
    else if (isPlaceholder(password)) {
      add('password', 'This looks like a placeholder; paste the real password or API key from the provider.');
    } else if (/[\r\n]/.test(password)) add('password', 'Remove line breaks from the password or API key.');
  }

  const fromEmail = value.fromEmail;
  if (typeof fromEmail === 'string') {
    if (fromEmail.length > MAX_ADDRESS_LENGTH) {
      add('fromEmail', `Use a From Email of ${MAX_ADDRESS_LENGTH} characters or fewer.`);
    } else if (!isAddrSpec(fromEmail)) {
      add('fromEmail', 'Enter the From Email as a plain address such as noreply@example.com.');
    }
  }

  const type = value.type;
  const vendor = value.apiVendor;
  if (type === 'smtp' && vendor != null) {
    add('apiVendor', 'Leave the API vendor empty for an SMTP provider, or choose an API provider type.');
  }

  if (
    value.encryption === 'none' &&
    typeof host === 'string' &&
    !hostProblem(host) &&
    !isLoopbackHost(host)
  ) {
    add(
      'encryption',
      'Encryption none sends the password in clear text; it is allowed only toward localhost. Choose SSL/TLS or STARTTLS.',
    );
  }
  if (value.encryption === 'starttls' && type !== 'smtp' && API_VENDORS.some((known) => known === vendor)) {
    add(
      'encryption',
      'An HTTP API vendor is reached over https (choose SSL/TLS) or, toward localhost only, plain http (choose none).',
    );
  }
  return issues;
}

/**
 * Advice that does not stop a provider from working: a port/encryption mismatch (which usually fails with
 * "wrong version number" or a timeout), or TLS verification switched off.
 */
export function configWarnings(
  provider: Pick<ProviderConfig, 'port' | 'encryption' | 'tls' | 'type' | 'apiVendor'>,
): string[] {
  const warnings: string[] = [];
  const smtp = provider.type === 'smtp' || provider.apiVendor == null;
  if (smtp && provider.port === 465 && provider.encryption === 'starttls') {
    warnings.push(
      'Port 465 expects SSL/TLS from the first byte, but STARTTLS is chosen: use SSL/TLS on 465, or STARTTLS on 587.',
    );
  }
  if (smtp && provider.port === 587 && provider.encryption === 'ssl_tls') {
    warnings.push(
      'Port 587 expects STARTTLS, but SSL/TLS is chosen (this fails with "wrong version number"): use STARTTLS on 587, or SSL/TLS on 465.',
    );
  }
  if (provider.tls?.rejectUnauthorized === false) {
    warnings.push(
      "TLS certificate verification is off: anyone on the network path could read the password. Trust the server's CA with tls.ca instead.",
    );
  }
  return warnings;
}

/** localhost, 127.0.0.0/8 and ::1: the only hosts toward which plain (unencrypted) connections are allowed. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  const lower = bare.toLowerCase();
  if (lower === 'localhost' || lower.endsWith('.localhost')) return true;
  if (isIP(lower) === 4) return lower.startsWith('127.');
  if (isIP(lower) === 6) {
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped?.[1] !== undefined && mapped[1].startsWith('127.');
  }
  return false;
}

/** Obvious stand-ins people paste from examples instead of the real secret. */
export function isPlaceholder(secret: string): boolean {
  const value = secret.trim().toLowerCase();
  if (/^<.*>$/.test(value)) return true;
  if (/^x{4,}$/.test(value)) return true;
  const known = [
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
  ];
  return known.includes(value);
}

function hostProblem(host: string): string | undefined {
  if (host.length === 0) return 'Enter the host name, e.g. smtp.example.com.';
  if (host.length > 253) return 'Shorten the host name to 253 characters or fewer.';
  if (/\s/.test(host)) return 'Remove spaces from the host name.';
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(host)) {
    return 'Enter the host name only, without a scheme such as https:// (e.g. smtp.example.com).';
  }
  if (host.includes('/')) return 'Enter the host name only, without a path (e.g. smtp.example.com).';
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (isIP(bare) !== 0) return undefined;
  if (/^[^:]+:\d+$/.test(host)) return 'Enter the host without ":port"; put the port in the Port field.';
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (!name.split('.').every((label) => HOSTNAME_LABEL.test(label))) {
    return 'Enter a valid host name (letters, digits, hyphens and dots) or an IP address.';
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
