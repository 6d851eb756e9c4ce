/**
 * Names under which a request carries a secret (password, newPassword, apiKey, clientSecret, token,
 * secretKey, authorization, cookie …): the same family of names the logger redacts, matched loosely so
 * that a new field such as `smtpPassword` is covered without a change here.
 */
const SECRET_NAME = /pass|secret|token|key|authorization|cookie/i;

export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
