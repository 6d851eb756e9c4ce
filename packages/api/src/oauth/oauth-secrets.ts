/**
 * The AES-GCM contexts OAuth2 secrets are sealed with (see SecretBox.seal): a ciphertext opens only in its
 * own row and column. secrets/secret-columns.ts lists the same contexts for key rotation.
 */
export type OAuthSecretKind = 'clientSecret' | 'refreshToken' | 'accessToken';

export function oauthSecretContext(providerId: string, kind: OAuthSecretKind): string {
  return `provider:${providerId}:oauth:${kind}`;
}

export function codeVerifierContext(stateHash: string): string {
  return `oauth-state:${stateHash}:codeVerifier`;
}
