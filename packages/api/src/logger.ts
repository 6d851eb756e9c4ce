import { redact } from '@mail-providers/mailer-core';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { AppConfig } from './config';

export type { Logger } from 'pino';

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'apiKey',
  'secret',
  'secretKey',
  'token',
  'authorization',
  'cookie',
  'set-cookie',
  'passwordCiphertext',
];

/**
 * Paths pino blanks out wherever they appear at the top level or one or two objects down
 * (`input.password`, `req.headers.authorization`). Secrets in free text are handled by `redact()`.
 */
export const REDACT_PATHS: string[] = SECRET_KEYS.flatMap((key) => {
  const plain = /^[A-Za-z_$][\w$]*$/.test(key);
  const top = plain ? key : `["${key}"]`;
  const nested = plain ? `.${key}` : `["${key}"]`;
  return [top, `*${nested}`, `*.*${nested}`];
});

/** The process logger: JSON lines, secret fields replaced by "[redacted]". */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.logLevel,
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      base: { service: 'mail-providers-api' },
    },
    destination,
  );
}

/**
 * Replaces each secret in free text, in every form it may be echoed in (JSON-escaped, URL-encoded,
 * base64 as Basic and SMTP AUTH carry it, and the rest the engine's `redact` knows). For error messages
 * and stacks, where pino's path-based redaction cannot reach.
 */
export function redactText(text: string, secrets: readonly string[]): string {
  return redact(text, secrets);
}
