const MIN_SECRET_LENGTH = 4;

/**
 * Replaces every occurrence of each secret (and of its base64 form, as AUTH PLAIN/LOGIN and Basic auth
 * carry it) with `[redacted]`. Used on every provider message before it reaches a result or a log line.
 */
export function redact(text: string, secrets: ReadonlyArray<string | undefined | null>): string {
  let out = text;
  for (const secret of secrets) {
    if (!secret || secret.length < MIN_SECRET_LENGTH) continue;
    for (const form of secretForms(secret)) {
      out = out.split(form).join('[redacted]');
    }
  }
  return out;
}

function secretForms(secret: string): string[] {
  const forms = [secret, Buffer.from(secret).toString('base64')];
  return forms.filter((form) => form.length >= MIN_SECRET_LENGTH);
}
