import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ConfigError, type AppConfig } from '../config';
import type { Logger } from '../logger';
import { KEY_BYTES, keyIdOf, SecretBox } from './secret-box';

export const KEY_FILE_NAME = 'secret.key';

const KEY_ADVICE =
  'generate one with `openssl rand -base64 32` (or 64 hex characters from `openssl rand -hex 32`)';

/**
 * Parses a key given as 64 hex characters or as base64/base64url of 32 bytes.
 * `name` is the variable the key came from; the key itself never appears in a message.
 */
export function parseSecretKey(value: string, name: string): Buffer {
  const text = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const decoded = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (decoded.length === KEY_BYTES) return decoded;
    throw new ConfigError([
      `${name} decodes to ${decoded.length} bytes but must be ${KEY_BYTES} random bytes; ${KEY_ADVICE}.`,
    ]);
  }
  throw new ConfigError([`${name} must be ${KEY_BYTES} bytes written as base64 or hex; ${KEY_ADVICE}.`]);
}

export interface LoadedKeys {
  box: SecretBox;
  /** Where the current key came from. */
  source: 'env' | 'key-file' | 'generated';
  keyFile?: string;
}

/**
 * Finds the encryption key: MAILER_SECRET_KEY when set; otherwise, with the embedded database only,
 * a key file in DATA_DIR (created with mode 0600 on first start and reused afterwards). A server
 * database without a key refuses to start: a generated key on one node would not open data
 * written by another, and losing the file would lose every stored password.
 */
export async function loadSecretKeys(
  config: Pick<AppConfig, 'secretKey' | 'previousSecretKeys' | 'databaseUrl' | 'dataDir'>,
  logger?: Logger,
): Promise<LoadedKeys> {
  const previous = config.previousSecretKeys.map((key, i) =>
    parseSecretKey(key, `MAILER_SECRET_KEY_PREVIOUS (key ${i + 1})`),
  );
  const keyFile = path.join(config.dataDir, KEY_FILE_NAME);

  if (config.secretKey) {
    const current = parseSecretKey(config.secretKey, 'MAILER_SECRET_KEY');
    if (!config.databaseUrl) {
      // Data written while the embedded default used its generated key must stay readable.
      const fileKey = await readKeyFile(keyFile, logger);
      if (fileKey && !fileKey.equals(current)) {
        previous.push(fileKey);
        logger?.info(
          { keyId: keyIdOf(fileKey) },
          'the generated key file is kept for decryption only; secrets are re-encrypted with MAILER_SECRET_KEY',
        );
      }
    }
    return { box: new SecretBox(current, previous), source: 'env' };
  }

  if (config.databaseUrl) {
    throw new ConfigError([
      'MAILER_SECRET_KEY is required when DATABASE_URL is set, so every node encrypts provider passwords ' +
        `with the same key and the key is not lost with one machine's disk; ${KEY_ADVICE}.`,
    ]);
  }

  const existing = await readKeyFile(keyFile, logger);
  if (existing) return { box: new SecretBox(existing, previous), source: 'key-file', keyFile };

  const generated = randomBytes(KEY_BYTES);
  await fs.mkdir(config.dataDir, { recursive: true, mode: 0o755 });
  try {
    await fs.writeFile(keyFile, `${generated.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    // Another process on the same DATA_DIR won the race: use its key.
    if (isErrno(error, 'EEXIST')) {
      const raced = await readKeyFile(keyFile, logger);
      if (raced) return { box: new SecretBox(raced, previous), source: 'key-file', keyFile };
    }
    throw error;
  }
  await fs.chmod(keyFile, 0o600);
  logger?.warn(
    { keyFile },
    'generated a secret key for provider passwords; back up this file, or set MAILER_SECRET_KEY',
  );
  return { box: new SecretBox(generated, previous), source: 'generated', keyFile };
}

async function readKeyFile(keyFile: string, logger?: Logger): Promise<Buffer | undefined> {
  let text: string;
  try {
    text = await fs.readFile(keyFile, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  const stat = await fs.stat(keyFile);
  if ((stat.mode & 0o077) !== 0) {
    await fs.chmod(keyFile, 0o600);
    logger?.warn({ keyFile }, 'the secret key file was readable by others; its mode is now 0600');
  }
  return parseSecretKey(text, `the key file ${keyFile}`);
}

// Checked by shape: errors from Node's fs may come from another realm (test runners), where instanceof fails.
function isErrno(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
