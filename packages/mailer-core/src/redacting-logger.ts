import type { Logger, LogLevel } from './logger';
import { redact } from './redact';

const MAX_DEPTH = 6;
const SECRET_KEYS = /^(password|pass|apikey|api_key|secret|token|authorization|auth)$/i;

/**
 * Wraps a logger so that nothing it receives carries a secret: every string in the log object and the
 * message is passed through {@link redact} with the current secrets, fields named like credentials are
 * blanked, and errors are reduced to their name, code and redacted message.
 */
export function redactingLogger(logger: Logger, secrets: () => readonly string[]): Logger {
  const write =
    (level: LogLevel) =>
    (obj: object, msg?: string): void => {
      if (logger.isLevelEnabled?.(level) === false) return;
      const current = secrets();
      const clean = scrub(obj, current, 0);
      const record = typeof clean === 'object' && clean !== null ? clean : { value: clean };
      if (msg === undefined) logger[level](record);
      else logger[level](record, redact(msg, current));
    };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** Secret-free copy of a value for a log line. */
export function scrub(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redact(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[nested]';
  if (value instanceof Date) return value;
  if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
  if (value instanceof Error) {
    const code = 'code' in value ? value.code : undefined;
    return {
      name: value.name,
      message: redact(value.message, secrets),
      ...(typeof code === 'string' ? { code } : {}),
    };
  }
  if (Array.isArray(value)) return value.map((item) => scrub(item, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      SECRET_KEYS.test(key) && item !== undefined && item !== null
        ? '[redacted]'
        : scrub(item, secrets, depth + 1);
  }
  return out;
}
