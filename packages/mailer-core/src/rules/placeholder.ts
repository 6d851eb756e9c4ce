/** Stand-ins people paste from examples instead of the real secret (compared trimmed, in lower case). */
export const PLACEHOLDER_SECRETS: readonly string[] = [
  'password',
  'changeme',
  'change-me',
  'change_me',
  'your-api-key',
  'your_api_key',
  'yourapikey',
  'your-password',
  'your_password',
  'api-key',
  'apikey',
];

/** True for an obvious stand-in: a known example word, a row of x, or `<something>`. */
export function isPlaceholder(secret: string): boolean {
  const value = secret.trim().toLowerCase();
  if (/^<.*>$/.test(value)) return true;
  if (/^x{4,}$/.test(value)) return true;
  return PLACEHOLDER_SECRETS.includes(value);
}
