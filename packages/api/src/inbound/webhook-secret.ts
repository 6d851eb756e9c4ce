import type { ApiVendor } from '@mail-providers/mailer-core';
import { BadUserInputError, type FieldError } from '../errors';
import type { SecretBox } from '../secrets/secret-box';

/** Must match the webhook secret's entry in secrets/secret-columns.ts. */
export function webhookSecretContext(providerId: string): string {
  return `provider:${providerId}:webhookSecret`;
}

const MAX_SECRET_LENGTH = 4096;

/** What a provider form says about the webhook secret. */
export interface WebhookSecretInput {
  webhookSecret?: string | null;
  clearWebhookSecret?: boolean | null;
}

/** The sealed columns to write, and whether they change. */
export interface WebhookSecretColumns {
  changed: boolean;
  webhookSecretCiphertext: string | null;
  webhookSecretKeyId: string | null;
}

/**
 * The webhook secret's columns after a save: a new secret sealed, the stored one kept (omitted or empty),
 * or removed (clearWebhookSecret). Only providers of a vendor (its HTTP API or its SMTP relay) receive
 * vendor events, so only they take one; `vendor` is that vendor (see eventVendorOf).
 */
export function webhookSecretColumns(
  input: WebhookSecretInput,
  providerId: string,
  vendor: ApiVendor | null,
  stored: { webhookSecretCiphertext: string | null; webhookSecretKeyId: string | null } | null,
  box: SecretBox,
): WebhookSecretColumns {
  const secret = input.webhookSecret?.trim() ?? '';
  const issues: FieldError[] = [];
  if (secret !== '' && input.clearWebhookSecret) {
    issues.push({
      field: 'input.clearWebhookSecret',
      message: 'Either enter a new webhook secret or clear the stored one, not both.',
    });
  }
  if (secret !== '' && !vendor) {
    issues.push({
      field: 'input.webhookSecret',
      message:
        "Only providers of an API vendor, or of a vendor's SMTP relay, receive delivery events; choose the vendor (apiVendor) or leave the webhook secret empty.",
    });
  }
  if (secret.length > MAX_SECRET_LENGTH) {
    issues.push({
      field: 'input.webhookSecret',
      message: `The webhook secret is longer than ${MAX_SECRET_LENGTH} characters; paste only the key the vendor shows.`,
    });
  }
  if (issues.length > 0) throw new BadUserInputError(issues);

  const kept = {
    changed: false,
    webhookSecretCiphertext: stored?.webhookSecretCiphertext ?? null,
    webhookSecretKeyId: stored?.webhookSecretKeyId ?? null,
  };
  if (input.clearWebhookSecret) {
    return kept.webhookSecretCiphertext === null
      ? kept
      : { changed: true, webhookSecretCiphertext: null, webhookSecretKeyId: null };
  }
  if (secret === '') return kept;
  const sealed = box.seal(secret, webhookSecretContext(providerId));
  return { changed: true, webhookSecretCiphertext: sealed.ciphertext, webhookSecretKeyId: sealed.keyId };
}

/** The stored webhook secret in clear, or null when none is set. */
export function openWebhookSecret(
  provider: { id: string; webhookSecretCiphertext: string | null; webhookSecretKeyId: string | null },
  box: SecretBox,
): string | null {
  if (provider.webhookSecretCiphertext === null || provider.webhookSecretKeyId === null) return null;
  return box.open(
    { ciphertext: provider.webhookSecretCiphertext, keyId: provider.webhookSecretKeyId },
    webhookSecretContext(provider.id),
  );
}
