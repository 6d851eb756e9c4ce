import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/** A secret as stored: the ciphertext and the id of the key that sealed it. */
export interface SealedSecret {
  ciphertext: string;
  keyId: string;
}

/** Thrown when a secret cannot be opened. The message never contains key or plaintext. */
export class SecretDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretDecryptionError';
  }
}

export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FORMAT = 'v1';

/** A non-secret fingerprint of a key, stored beside each ciphertext so rotation knows which key to use. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('mail-providers/secret-key-id/').update(key).digest('hex').slice(0, 16);
}

/**
 * AES-256-GCM encryption at rest. Seals with the current key; opens with the current key or any
 * previous one (during a rotation). `context` is bound as additional authenticated data, so a
 * ciphertext copied to another row or column does not open there.
 */
export class SecretBox {
  private readonly keys = new Map<string, Buffer>();
  readonly keyId: string;

  constructor(currentKey: Buffer, previousKeys: readonly Buffer[] = []) {
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== KEY_BYTES) {
        throw new RangeError(`A secret key must be ${KEY_BYTES} bytes.`);
      }
    }
    this.keyId = keyIdOf(currentKey);
    this.keys.set(this.keyId, Buffer.from(currentKey));
    for (const key of previousKeys) {
      const id = keyIdOf(key);
      if (!this.keys.has(id)) this.keys.set(id, Buffer.from(key));
    }
  }

  /** Ids of every key this box can open with, the current one first. */
  get knownKeyIds(): string[] {
    return [...this.keys.keys()];
  }

  seal(plaintext: string, context = ''): SealedSecret {
    const key = this.keys.get(this.keyId);
    if (!key) throw new SecretDecryptionError('The current secret key is missing.');
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return {
      ciphertext: `${FORMAT}:${Buffer.concat([iv, tag, body]).toString('base64')}`,
      keyId: this.keyId,
    };
  }

  open(sealed: SealedSecret, context = ''): string {
    const key = this.keys.get(sealed.keyId);
    if (!key) {
      throw new SecretDecryptionError(
        `A stored secret was sealed with key ${sealed.keyId}, which is not configured; ` +
          'set that key in MAILER_SECRET_KEY or MAILER_SECRET_KEY_PREVIOUS.',
      );
    }
    const [format, payload] = sealed.ciphertext.split(':', 2);
    if (format !== FORMAT || payload === undefined) {
      throw new SecretDecryptionError('A stored secret is not in a known format.');
    }
    const raw = Buffer.from(payload, 'base64');
    if (raw.length < IV_BYTES + TAG_BYTES) {
      throw new SecretDecryptionError('A stored secret is truncated.');
    }
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    try {
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString(
        'utf8',
      );
    } catch {
      throw new SecretDecryptionError(
        'A stored secret failed its integrity check; the key is wrong or the data was altered.',
      );
    }
  }

  /** True when `keyId` is not the current key, so the secret should be sealed again. */
  needsResealing(keyId: string): boolean {
    return keyId !== this.keyId;
  }
}
