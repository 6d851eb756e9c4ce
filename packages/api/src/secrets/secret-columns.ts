/**
 * A table column holding a SecretBox ciphertext, with the column of its key id. Listed here so a key
 * rotation can re-encrypt every stored secret.
 */
export interface SecretColumn {
  table: string;
  idColumn: string;
  ciphertextColumn: string;
  keyIdColumn: string;
  /** The `context` the rows were sealed with, if any (see SecretBox.seal). */
  context?: (id: string) => string;
}

/** Every encrypted column. Append entries at the end; do not reorder. */
export const secretColumns: SecretColumn[] = [
  {
    table: 'providers',
    idColumn: 'id',
    ciphertextColumn: 'password_ciphertext',
    keyIdColumn: 'password_key_id',
    // Must match passwordContext() in services/mailer.service.ts.
    context: (id) => `provider:${id}:password`,
  },
  // Must match the contexts of oauth/oauth-secrets.ts.
  {
    table: 'oauth_connections',
    idColumn: 'provider_id',
    ciphertextColumn: 'client_secret_ciphertext',
    keyIdColumn: 'client_secret_key_id',
    context: (id) => `provider:${id}:oauth:clientSecret`,
  },
  {
    table: 'oauth_connections',
    idColumn: 'provider_id',
    ciphertextColumn: 'refresh_token_ciphertext',
    keyIdColumn: 'refresh_token_key_id',
    context: (id) => `provider:${id}:oauth:refreshToken`,
  },
  {
    table: 'oauth_connections',
    idColumn: 'provider_id',
    ciphertextColumn: 'access_token_ciphertext',
    keyIdColumn: 'access_token_key_id',
    context: (id) => `provider:${id}:oauth:accessToken`,
  },
  {
    table: 'oauth_states',
    idColumn: 'state_hash',
    ciphertextColumn: 'code_verifier_ciphertext',
    keyIdColumn: 'code_verifier_key_id',
    context: (id) => `oauth-state:${id}:codeVerifier`,
  },
  // Must match secretContext() in webhooks/webhook-store.ts.
  {
    table: 'webhook_endpoints',
    idColumn: 'id',
    ciphertextColumn: 'secret_ciphertext',
    keyIdColumn: 'secret_key_id',
    context: (id) => `webhook:${id}:secret`,
  },
  // Must match webhookSecretContext() in inbound/webhook-secret.ts.
  {
    table: 'providers',
    idColumn: 'id',
    ciphertextColumn: 'webhook_secret_ciphertext',
    keyIdColumn: 'webhook_secret_key_id',
    context: (id) => `provider:${id}:webhookSecret`,
  },
];
