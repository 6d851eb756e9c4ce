import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, URL-safe. */
export function randomToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * SHA-256 is enough for tokens with 256 bits of randomness: there is nothing to brute-force, and a
 * fast hash keeps the per-request lookup cheap.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
