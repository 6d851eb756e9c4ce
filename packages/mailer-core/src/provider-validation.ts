import { z } from 'zod';
import { API_VENDORS, type ProviderConfig } from './provider';
import {
  providerRuleIssues,
  providerWarnings,
  reachedOverHttp,
  type ProviderRuleValues,
} from './rules/provider-field-rules';
import { providerRuleMessage, providerWarningMessage } from './rules/messages';
import { PROVIDER_LIMITS } from './rules/limits';

export { isLoopbackHost } from './rules/host';
export { isPlaceholder } from './rules/placeholder';

/** One thing wrong with a provider's settings; `message` tells the operator what to do. */
export interface ValidationIssue {
  /** The ProviderConfig field (`host`, `password`, `tls.ca` …). */
  field: string;
  message: string;
}

/** Thrown by the engine when it is handed a provider whose settings break the rules. */
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

/*
 * The shapes and enums; what the values must be (lengths, hosts, the login rule …) is judged by the shared
 * rules in ./rules, which the API and the panel use too.
 */
const schema = z.object({
  id: z.string().min(1, 'Give the provider an id.'),
  type: z.enum(['smtp', 'api_smtp', 'crm_api_smtp'], {
    error: 'Choose a provider type: smtp, api_smtp or crm_api_smtp.',
  }),
  name: z.string({ error: 'Enter a provider name.' }),
  apiVendor: z.string({ error: `Choose an API vendor among ${API_VENDORS.join(', ')}.` }).nullish(),
  host: z.string({ error: 'Enter the host name.' }),
  port: z.number({ error: 'Enter the port as a number.' }),
  authMethod: z
    .enum(['password', 'oauth2', 'none'], {
      error:
        'Choose a sign-in method: password, oauth2 or none (or leave it out to infer it from the username).',
    })
    .optional(),
  username: z.string({ error: 'Enter the username (it may be empty when the server needs no login).' }),
  password: z.string({
    error: 'Enter the password or API key (it may be empty when the server needs no login).',
  }),
  encryption: z.enum(['ssl_tls', 'starttls', 'none'], {
    error: 'Choose an encryption: ssl_tls, starttls or none.',
  }),
  fromEmail: z.string({ error: 'Enter the From Email address.' }),
  fromName: z.string({ error: 'Enter the From Name (it may be empty).' }),
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
        .max(
          PROVIDER_LIMITS.hostMax,
          `Give tls.servername as a host name of ${PROVIDER_LIMITS.hostMax} characters or fewer.`,
        ),
    })
    .partial()
    .optional(),
});

/**
 * Checks a provider's settings. An empty list means the settings are acceptable; otherwise each entry names
 * a field and says how to fix it. The value rules are the shared ones (see ./rules), so the engine, the API
 * and the panel agree.
 */
export function validateProviderConfig(input: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  const add = (field: string, message: string): void => {
    if (!issues.some((known) => known.field === field)) issues.push({ field, message });
  };
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues)
      add(issue.path.map(String).join('.') || 'provider', issue.message);
  }
  const values = ruleValues(isRecord(input) ? input : {});
  for (const issue of providerRuleIssues(values)) add(issue.field, providerRuleMessage(issue));
  if (values.authMethod === 'oauth2' && reachedOverHttp(values)) {
    add('authMethod', 'OAuth2 sign-in is for SMTP; an HTTP API vendor takes its API key in Password.');
  }
  return issues;
}

/** The fields the shared rules read, each only when it has the type they expect. */
function ruleValues(value: Record<string, unknown>): ProviderRuleValues {
  const text = (key: string): string | undefined => {
    const field = value[key];
    return typeof field === 'string' ? field : undefined;
  };
  const vendor = value.apiVendor;
  const port = value.port;
  return {
    type: text('type'),
    name: text('name'),
    apiVendor: typeof vendor === 'string' ? vendor : null,
    host: text('host'),
    ...(typeof port === 'number' ? { port } : {}),
    authMethod: text('authMethod'),
    username: text('username'),
    password: text('password'),
    encryption: text('encryption'),
    fromEmail: text('fromEmail'),
    fromName: text('fromName'),
  };
}

/**
 * Advice that does not stop a provider from working: a port/encryption mismatch (which usually fails with
 * "wrong version number" or a timeout), mail crossing the network in clear toward a relay with no login,
 * or TLS verification switched off.
 */
export function configWarnings(
  provider: Pick<
    ProviderConfig,
    'port' | 'encryption' | 'tls' | 'type' | 'apiVendor' | 'host' | 'username' | 'password'
  >,
): string[] {
  const warnings = providerWarnings(provider).map((warning) => providerWarningMessage(warning.code));
  if (provider.tls?.rejectUnauthorized === false) {
    warnings.push(
      "TLS certificate verification is off: anyone on the network path could read the password. Trust the server's CA with tls.ca instead.",
    );
  }
  return warnings;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
