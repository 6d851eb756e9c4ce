import { randomBytes } from 'node:crypto';
import { keyIdOf, SecretBox, SecretDecryptionError } from './secret-box';

const key = () => randomBytes(32);
const secret = () => `secret-${randomBytes(8).toString('hex')}`;

describe('SecretBox', () => {
  it('round-trips a secret and records the id of the sealing key', () => {
    const k = key();
    const box = new SecretBox(k);
    const plaintext = secret();
    const sealed = box.seal(plaintext);
    expect(sealed.keyId).toBe(keyIdOf(k));
    expect(sealed.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(sealed.ciphertext).not.toContain(plaintext);
    expect(sealed.ciphertext.startsWith('v1:')).toBe(true);
    expect(box.open(sealed)).toBe(plaintext);
  });

  it('uses a fresh IV each time: the same secret never gives the same ciphertext', () => {
    const box = new SecretBox(key());
    const plaintext = secret();
    expect(box.seal(plaintext).ciphertext).not.toBe(box.seal(plaintext).ciphertext);
  });

  it('round-trips empty and non-ASCII secrets', () => {
    const box = new SecretBox(key());
    for (const plaintext of ['', 'şifre-Ğüİ-密码-🔑']) expect(box.open(box.seal(plaintext))).toBe(plaintext);
  });

  it('a different key cannot open it, and the error names no secret', () => {
    const plaintext = secret();
    const sealed = new SecretBox(key()).seal(plaintext);
    const other = new SecretBox(key());
    expect(() => other.open(sealed)).toThrow(SecretDecryptionError);
    expect(() => other.open(sealed)).toThrow(/not configured/);
    // Same key id claimed, wrong key material: the integrity check fails.
    const forged = { ...sealed, keyId: other.keyId };
    expect(() => other.open(forged)).toThrow(/integrity check/);
    try {
      other.open(forged);
    } catch (error) {
      expect(String(error)).not.toContain(plaintext);
    }
  });

  it.each([
    [
      'a flipped ciphertext byte',
      (c: string) => c.slice(0, -4) + (c.at(-4) === 'A' ? 'B' : 'A') + c.slice(-3),
    ],
    ['a truncated ciphertext', (c: string) => c.slice(0, 10)],
    ['an unknown format', (c: string) => c.replace('v1:', 'v9:')],
  ])('refuses %s', (_case, tamper) => {
    const box = new SecretBox(key());
    const sealed = box.seal(secret());
    expect(() => box.open({ ...sealed, ciphertext: tamper(sealed.ciphertext) })).toThrow(
      SecretDecryptionError,
    );
  });

  it('binds the context: a ciphertext moved to another row does not open', () => {
    const box = new SecretBox(key());
    const sealed = box.seal(secret(), 'provider:1:password');
    expect(() => box.open(sealed, 'provider:2:password')).toThrow(SecretDecryptionError);
  });

  it('opens with a previous key during a rotation and reseals with the current one', () => {
    const oldKey = key();
    const newKey = key();
    const plaintext = secret();
    const sealedOld = new SecretBox(oldKey).seal(plaintext);
    const rotating = new SecretBox(newKey, [oldKey]);
    expect(rotating.needsResealing(sealedOld.keyId)).toBe(true);
    expect(rotating.open(sealedOld)).toBe(plaintext);
    const resealed = rotating.seal(plaintext);
    expect(resealed.keyId).toBe(keyIdOf(newKey));
    expect(rotating.needsResealing(resealed.keyId)).toBe(false);
    expect(new SecretBox(newKey).open(resealed)).toBe(plaintext);
    expect(rotating.knownKeyIds).toEqual([keyIdOf(newKey), keyIdOf(oldKey)]);
  });

  it('refuses keys that are not 32 bytes', () => {
    expect(() => new SecretBox(randomBytes(16))).toThrow(RangeError);
    expect(() => new SecretBox(key(), [randomBytes(31)])).toThrow(RangeError);
  });
});
