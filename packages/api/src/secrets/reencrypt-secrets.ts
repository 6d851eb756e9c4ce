import type { EntityManager } from 'typeorm';
import type { Logger } from '../logger';
import type { SecretBox } from './secret-box';
import { secretColumns, type SecretColumn } from './secret-columns';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

function quoted(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain lower-case identifier.`);
  return `"${name}"`;
}

/**
 * Re-seals, with the current key, every secret still sealed with an older key, in one transaction
 * per column. Run at start under the bootstrap lock, so after a rotation (new key in
 * MAILER_SECRET_KEY, old one in MAILER_SECRET_KEY_PREVIOUS) one restart moves all data to the new
 * key; the old key can then be removed. Returns the number of secrets re-sealed.
 */
export async function reencryptSecrets(
  manager: EntityManager,
  box: SecretBox,
  logger?: Logger,
  columns: readonly SecretColumn[] = secretColumns,
): Promise<number> {
  let total = 0;
  for (const column of columns) {
    const table = quoted(column.table);
    const id = quoted(column.idColumn);
    const ciphertext = quoted(column.ciphertextColumn);
    const keyId = quoted(column.keyIdColumn);
    const count = await manager.transaction(async (m) => {
      const rows: unknown = await m.query(
        `SELECT ${id}::text AS id, ${ciphertext} AS ciphertext, ${keyId} AS key_id FROM ${table}
         WHERE ${ciphertext} IS NOT NULL AND ${keyId} IS DISTINCT FROM $1 FOR UPDATE`,
        [box.keyId],
      );
      let resealed = 0;
      for (const row of Array.isArray(rows) ? rows : []) {
        if (!isSecretRow(row)) continue;
        const context = column.context?.(row.id) ?? '';
        const plaintext = box.open({ ciphertext: row.ciphertext, keyId: row.key_id }, context);
        const sealed = box.seal(plaintext, context);
        await m.query(`UPDATE ${table} SET ${ciphertext} = $1, ${keyId} = $2 WHERE ${id}::text = $3`, [
          sealed.ciphertext,
          sealed.keyId,
          row.id,
        ]);
        resealed++;
      }
      return resealed;
    });
    if (count > 0) logger?.info({ table: column.table, count }, 're-encrypted secrets with the current key');
    total += count;
  }
  return total;
}

function isSecretRow(row: unknown): row is { id: string; ciphertext: string; key_id: string } {
  return (
    typeof row === 'object' &&
    row !== null &&
    'id' in row &&
    typeof row.id === 'string' &&
    'ciphertext' in row &&
    typeof row.ciphertext === 'string' &&
    'key_id' in row &&
    typeof row.key_id === 'string'
  );
}
