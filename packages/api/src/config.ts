import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { AllowListError, parseAllowList } from '@mail-providers/mailer-core';
import { loadDurableConfig, type DurableConfig } from './queue/durable-config';
import { loadWebhookConfig, type WebhookConfig } from './webhooks/webhook-config';

export type Mode = 'api' | 'worker' | 'all';
export type NodeEnv = 'development' | 'production' | 'test';
export type CookieSecure = 'auto' | 'always' | 'never';

/** Everything the server reads from its environment, validated once at start. */
export interface AppConfig {
  port: number;
  host: string;
  /** A PostgreSQL server to use; without it an embedded PostgreSQL runs in `dataDir`. */
  databaseUrl: string | undefined;
  /** How long a start waits for DATABASE_URL's server to accept connections. */
  databaseWaitSeconds: number;
  /** Absolute path: the embedded database and the generated secret key live here. */
  dataDir: string;
  /** MAILER_SECRET_KEY as given (hex or base64 of 32 bytes); parsed by the secrets module. */
  secretKey: string | undefined;
  /** Keys accepted for decryption only, while data is re-encrypted with `secretKey`. */
  previousSecretKeys: string[];
  adminEmail: string;
  adminPassword: string | undefined;
  mode: Mode;
  /** MODE=all: the delivery worker runs on a thread of its own (its own event loop and core). */
  workerThread: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  nodeEnv: NodeEnv;
  /** Largest /graphql request body, in the `bytes` notation express understands (`1mb`, `500kb`). */
  bodyLimit: string;
  graphqlMaxDepth: number;
  graphqlMaxComplexity: number;
  /** Passed to express `trust proxy`: false, true, a hop count or a list of addresses. */
  trustProxy: boolean | number | string;
  cookieSecure: CookieSecure;
  sessionTtlHours: number;
  /** Built admin panel; served at `/` when the directory holds an index.html. */
  adminDistDir: string;
  loginLimits: LoginLimits;
  /** When set, GET /metrics needs `Authorization: Bearer <metricsToken>`. */
  metricsToken: string | undefined;
  /** Queue, workers, retries, retention, alerts and send limits (queue/durable-config.ts). */
  durable?: DurableConfig;
  /** Outbound webhooks: timeouts, retries, leases, when a failing endpoint is disabled (webhooks/webhook-config.ts). */
  webhooks?: WebhookConfig;
  /**
   * ALLOWED_PROVIDER_HOSTS, entry by entry: the private hosts and ranges providers may be reached at
   * (CIDR ranges, host names, `*.domain`, `*`). Public addresses are always reached; link-local and cloud
   * metadata addresses never.
   */
  allowedProviderHosts: string[];
  /**
   * PUBLIC_URL without a trailing slash: where browsers reach this server (the OAuth2 redirect URI is
   * `<publicUrl>/oauth/callback`). Undefined: the address the admin's browser used.
   */
  publicUrl?: string;
  /** Where the OAuth2 flavours sign in (oauth/oauth-endpoints.ts); overridable for sovereign clouds and tests. */
  oauthEndpoints?: OAuthEndpointOverrides;
}

/** OAUTH_MICROSOFT_AUTHORITY, OAUTH_GOOGLE_AUTHORIZE_URL and OAUTH_GOOGLE_TOKEN_URL. */
export interface OAuthEndpointOverrides {
  microsoftAuthority: string;
  googleAuthorizeUrl: string;
  googleTokenUrl: string;
}

/** How failed logins are throttled (auth/login-guard.ts). */
export interface LoginLimits {
  /** Failed logins in a row for one account from one address before that pair has to wait. */
  failuresBeforeBlock: number;
  /** The first wait of a pair, in seconds; it doubles with each further failure. */
  blockSeconds: number;
  /** The longest wait of a pair, in seconds (never below `blockSeconds`). */
  maxBlockSeconds: number;
  /** Failed logins one address may make in a day, across accounts, before it (only it) is refused. */
  ipFailuresPerDay: number;
}

/** Thrown when the environment is unusable; the message lists every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The configuration is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const DEFAULT_ADMIN_DIST = path.resolve(__dirname, '..', '..', 'admin', 'dist');

const emptyAsUndefined = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const integer = (name: string, min: number, max: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number between ${min} and ${max}.` })
    .int({ error: `${name} must be a whole number between ${min} and ${max}.` })
    .min(min, { error: `${name} must be a whole number between ${min} and ${max}.` })
    .max(max, { error: `${name} must be a whole number between ${min} and ${max}.` });

/** An absolute http(s) URL without credentials, query or fragment, for the variable `name`. */
const baseUrl = (name: string) =>
  z.string().refine(
    (value) => {
      try {
        const url = new URL(value);
        return (
          (url.protocol === 'https:' || url.protocol === 'http:') &&
          url.username === '' &&
          url.password === '' &&
          url.search === '' &&
          url.hash === ''
        );
      } catch {
        return false;
      }
    },
    {
      error: `${name} must be an absolute http(s) URL without query or fragment, such as https://mail.example.com.`,
    },
  );

const envSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, integer('PORT', 0, 65535).default(4000)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, {
        error: 'DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/database.',
      })
      .optional(),
  ),
  DATABASE_WAIT_SECONDS: z.preprocess(
    emptyAsUndefined,
    integer('DATABASE_WAIT_SECONDS', 0, 3600).default(60),
  ),
  DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default('.data')),
  MAILER_SECRET_KEY: z.preprocess(emptyAsUndefined, z.string().optional()),
  MAILER_SECRET_KEY_PREVIOUS: z.preprocess(emptyAsUndefined, z.string().optional()),
  ADMIN_EMAIL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .max(254, { error: 'ADMIN_EMAIL must be at most 254 characters.' })
      .regex(/^[^\s@]+@[^\s@]+$/, {
        error: 'ADMIN_EMAIL must be an email address such as admin@example.com.',
      })
      .default('admin@localhost'),
  ),
  ADMIN_PASSWORD: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .min(8, {
        error: 'ADMIN_PASSWORD must be at least 8 characters; leave it unset to get a generated one.',
      })
      .max(256, { error: 'ADMIN_PASSWORD must be at most 256 characters.' })
      .optional(),
  ),
  MODE: z.preprocess(
    emptyAsUndefined,
    z.enum(['api', 'worker', 'all'], { error: 'MODE must be api, worker or all.' }).default('all'),
  ),
  WORKER_THREAD: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['auto', 'true', 'false'], {
        error:
          'WORKER_THREAD must be auto, true or false (auto: a thread of its own with two cores or more; false keeps the MODE=all worker on the main thread).',
      })
      .default('auto'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent.',
      })
      .default('info'),
  ),
  NODE_ENV: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['development', 'production', 'test'], {
        error: 'NODE_ENV must be development, production or test.',
      })
      .default('development'),
  ),
  BODY_LIMIT: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^\d+(\.\d+)?\s*(b|kb|mb|gb)$/i, { error: 'BODY_LIMIT must be a size such as 1mb or 512kb.' })
      .default('1mb'),
  ),
  GRAPHQL_MAX_DEPTH: z.preprocess(emptyAsUndefined, integer('GRAPHQL_MAX_DEPTH', 2, 100).default(12)),
  GRAPHQL_MAX_COMPLEXITY: z.preprocess(
    emptyAsUndefined,
    integer('GRAPHQL_MAX_COMPLEXITY', 10, 1_000_000).default(2000),
  ),
  TRUST_PROXY: z.preprocess(emptyAsUndefined, z.string().default('false')),
  COOKIE_SECURE: z.preprocess(
    emptyAsUndefined,
    z
      .enum(['auto', 'always', 'never'], { error: 'COOKIE_SECURE must be auto, always or never.' })
      .default('auto'),
  ),
  SESSION_TTL_HOURS: z.preprocess(emptyAsUndefined, integer('SESSION_TTL_HOURS', 1, 24 * 90).default(24 * 7)),
  ADMIN_DIST_DIR: z.preprocess(emptyAsUndefined, z.string().optional()),
  // An empty value is kept: it says "nothing private", where a missing one takes the default.
  ALLOWED_PROVIDER_HOSTS: z
    .string()
    .optional()
    .superRefine((value, context) => {
      if (value === undefined) return;
      try {
        parseAllowList(value);
      } catch (error) {
        if (!(error instanceof AllowListError)) throw error;
        for (const problem of error.problems) context.addIssue({ code: 'custom', message: problem });
      }
    }),
  LOGIN_FAILURES_BEFORE_BLOCK: z.preprocess(
    emptyAsUndefined,
    integer('LOGIN_FAILURES_BEFORE_BLOCK', 1, 1000).optional(),
  ),
  /** The former name of LOGIN_FAILURES_BEFORE_BLOCK, still read. */
  LOGIN_MAX_FAILURES_PER_ACCOUNT: z.preprocess(
    emptyAsUndefined,
    integer('LOGIN_MAX_FAILURES_PER_ACCOUNT', 1, 1000).optional(),
  ),
  LOGIN_BLOCK_SECONDS: z.preprocess(emptyAsUndefined, integer('LOGIN_BLOCK_SECONDS', 1, 86400).default(60)),
  LOGIN_MAX_BLOCK_SECONDS: z.preprocess(
    emptyAsUndefined,
    integer('LOGIN_MAX_BLOCK_SECONDS', 1, 86400).default(15 * 60),
  ),
  LOGIN_IP_FAILURES_PER_DAY: z.preprocess(
    emptyAsUndefined,
    integer('LOGIN_IP_FAILURES_PER_DAY', 1, 1_000_000).optional(),
  ),
  /** The former name of LOGIN_IP_FAILURES_PER_DAY, still read (the count is now per day). */
  LOGIN_MAX_FAILURES_PER_IP: z.preprocess(
    emptyAsUndefined,
    integer('LOGIN_MAX_FAILURES_PER_IP', 1, 1_000_000).optional(),
  ),
  METRICS_TOKEN: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[\x21-\x7e]{16,256}$/, {
        error:
          'METRICS_TOKEN must be 16 to 256 printable characters without spaces, e.g. the output of openssl rand -hex 32.',
      })
      .optional(),
  ),
  PUBLIC_URL: z.preprocess(emptyAsUndefined, baseUrl('PUBLIC_URL').optional()),
  OAUTH_MICROSOFT_AUTHORITY: z.preprocess(
    emptyAsUndefined,
    baseUrl('OAUTH_MICROSOFT_AUTHORITY').default('https://login.microsoftonline.com'),
  ),
  OAUTH_GOOGLE_AUTHORIZE_URL: z.preprocess(
    emptyAsUndefined,
    baseUrl('OAUTH_GOOGLE_AUTHORIZE_URL').default('https://accounts.google.com/o/oauth2/v2/auth'),
  ),
  OAUTH_GOOGLE_TOKEN_URL: z.preprocess(
    emptyAsUndefined,
    baseUrl('OAUTH_GOOGLE_TOKEN_URL').default('https://oauth2.googleapis.com/token'),
  ),
});

function parseTrustProxy(value: string): boolean | number | string {
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

/** Loopback, where a quick start or a test run keeps its local SMTP and API test servers. */
const LOOPBACK_HOSTS = ['127.0.0.0/8', '::1', 'localhost'];

/**
 * ALLOWED_PROVIDER_HOSTS as given (empty: nothing private); unset, loopback for the embedded quick start
 * (no DATABASE_URL) and for tests, nothing for a server on its own database or in production.
 */
function allowedProviderHosts(
  value: string | undefined,
  databaseUrl: string | undefined,
  nodeEnv: NodeEnv,
): string[] {
  if (value !== undefined) return splitKeys(value);
  const quickStart = databaseUrl === undefined && nodeEnv !== 'production';
  return nodeEnv === 'test' || quickStart ? [...LOOPBACK_HOSTS] : [];
}

function splitKeys(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key !== '');
}

/**
 * Reads the environment into an AppConfig. Relative paths resolve against `cwd`; `cores` is how many the
 * process may use (WORKER_THREAD=auto). Throws ConfigError naming every bad variable, so one start shows
 * every mistake.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  cores: number = availableParallelism(),
): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((issue) => issue.message));
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    databaseWaitSeconds: e.DATABASE_WAIT_SECONDS,
    dataDir: path.resolve(cwd, e.DATA_DIR),
    secretKey: e.MAILER_SECRET_KEY,
    previousSecretKeys: splitKeys(e.MAILER_SECRET_KEY_PREVIOUS),
    adminEmail: e.ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.ADMIN_PASSWORD,
    mode: e.MODE,
    // On one core a second thread has no core of its own to run on: it only adds its own overhead.
    workerThread: e.WORKER_THREAD === 'auto' ? cores >= 2 : e.WORKER_THREAD === 'true',
    logLevel: e.LOG_LEVEL,
    nodeEnv: e.NODE_ENV,
    bodyLimit: e.BODY_LIMIT.replace(/\s+/g, '').toLowerCase(),
    graphqlMaxDepth: e.GRAPHQL_MAX_DEPTH,
    graphqlMaxComplexity: e.GRAPHQL_MAX_COMPLEXITY,
    trustProxy: parseTrustProxy(e.TRUST_PROXY),
    cookieSecure: e.COOKIE_SECURE,
    sessionTtlHours: e.SESSION_TTL_HOURS,
    adminDistDir: e.ADMIN_DIST_DIR ? path.resolve(cwd, e.ADMIN_DIST_DIR) : DEFAULT_ADMIN_DIST,
    loginLimits: {
      failuresBeforeBlock: e.LOGIN_FAILURES_BEFORE_BLOCK ?? e.LOGIN_MAX_FAILURES_PER_ACCOUNT ?? 5,
      blockSeconds: e.LOGIN_BLOCK_SECONDS,
      maxBlockSeconds: Math.max(e.LOGIN_MAX_BLOCK_SECONDS, e.LOGIN_BLOCK_SECONDS),
      ipFailuresPerDay: e.LOGIN_IP_FAILURES_PER_DAY ?? e.LOGIN_MAX_FAILURES_PER_IP ?? 100,
    },
    metricsToken: e.METRICS_TOKEN,
    durable: loadDurableConfig(env),
    webhooks: loadWebhookConfig(env),
    allowedProviderHosts: allowedProviderHosts(e.ALLOWED_PROVIDER_HOSTS, e.DATABASE_URL, e.NODE_ENV),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
    oauthEndpoints: {
      microsoftAuthority: e.OAUTH_MICROSOFT_AUTHORITY.replace(/\/+$/, ''),
      googleAuthorizeUrl: e.OAUTH_GOOGLE_AUTHORIZE_URL,
      googleTokenUrl: e.OAUTH_GOOGLE_TOKEN_URL,
    },
  };
}
