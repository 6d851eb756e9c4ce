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
];
