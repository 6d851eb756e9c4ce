import { createHash } from 'node:crypto';
import type { ValidEmail } from './email-input-validation';

/**
 * A fingerprint of what a sendEmail request asks for, after its checks: the same message sent again gives
 * the same hash, whatever the order of its recipients; any other change of recipients, subject, bodies or
 * channel gives another. Used to tell a retry from a reuse of an idempotency key for a different message.
 */
export function requestHash(email: ValidEmail): string {
  const normalised = [
    email.channel,
    [...email.to].sort(),
    [...email.cc].sort(),
    [...email.bcc].sort(),
    email.replyTo,
    email.subject,
    email.text,
    email.html,
  ];
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}
