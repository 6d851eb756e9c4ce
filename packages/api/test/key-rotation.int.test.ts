import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { keyIdOf, SecretBox } from '../src/secrets/secret-box';
import { dataOf } from './support/test-agent';
import { createTestDatabase } from './support/test-database';
import { makeDataDir, startTestServer, testSecret } from './support/test-server';

describe('rotating MAILER_SECRET_KEY', () => {
  it('re-encrypts stored provider passwords with the new key at the next start', async () => {
    const database = await createTestDatabase();
    const dataDir = await makeDataDir();
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const password = testSecret('smtp');
    try {
      const before = await startTestServer({
        databaseUrl: database.url,
        dataDir,
        env: { MAILER_SECRET_KEY: oldKey.toString('base64') },
      });
      const created = dataOf(
        await before.gql<{ createProvider: { id: string; passwordSet: boolean } }>(
          'mutation ($input: ProviderInput!) { createProvider(input: $input) { id passwordSet } }',
          {
            input: {
              type: 'SMTP',
              name: 'rotation-check',
              host: '127.0.0.1',
              port: 2525,
              username: 'mailer',
              password,
              encryption: 'NONE',
              fromEmail: 'noreply@example.test',
              fromName: 'Example',
              serviceType: 'PRIMARY',
            },
          },
        ),
      ).createProvider;
      expect(created.passwordSet).toBe(true);
      const sealedBefore = await before.db.query<{ password_key_id: string }>(
        'SELECT password_key_id FROM providers WHERE id = $1',
        [created.id],
      );
      expect(sealedBefore.rows[0]?.password_key_id).toBe(keyIdOf(oldKey));
      await before.close();

      const after = await startTestServer({
        databaseUrl: database.url,
        dataDir,
        env: {
          MAILER_SECRET_KEY: newKey.toString('hex'),
          MAILER_SECRET_KEY_PREVIOUS: oldKey.toString('base64'),
        },
      });
      try {
        const row = await after.db.query<{
          password_ciphertext: string;
          password_key_id: string;
          row: string;
        }>(
          'SELECT password_ciphertext, password_key_id, row_to_json(p)::text AS row FROM providers p WHERE id = $1',
          [created.id],
        );
        const sealed = row.rows[0];
        expect(sealed?.password_key_id).toBe(keyIdOf(newKey));
        expect(sealed?.row).not.toContain(password);
        // Only the new key is needed from now on.
        const opened = new SecretBox(newKey).open(
          { ciphertext: sealed?.password_ciphertext ?? '', keyId: sealed?.password_key_id ?? '' },
          `provider:${created.id}:password`,
        );
        expect(opened).toBe(password);
        expect(after.logs.some((line) => line.includes('re-encrypted secrets with the current key'))).toBe(
          true,
        );
        expect(after.logs.join('\n')).not.toContain(password);
      } finally {
        await after.close();
      }
    } finally {
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
