import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import pino from 'pino';
import { loadConfig } from '../src/config';
import { createDataSource } from '../src/database/datasource';
import { reencryptSecrets } from '../src/secrets/reencrypt-secrets';
import { keyIdOf, SecretBox } from '../src/secrets/secret-box';
import { createApp } from '../src/server';
import { createTestDatabase, type TestDatabase } from './support/test-database';
import { makeDataDir } from './support/test-server';

describe('secrets at rest', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it('re-encrypts every secret sealed with an old key, and leaves current ones alone', async () => {
    const dataSource = createDataSource({ url: database.url });
    await dataSource.initialize();
    try {
      await dataSource.query('CREATE TABLE vault (id uuid PRIMARY KEY, secret text, secret_key_id text)');
      const oldKey = randomBytes(32);
      const newKey = randomBytes(32);
      const oldBox = new SecretBox(oldKey);
      const rotating = new SecretBox(newKey, [oldKey]);
      const plaintexts = new Map<string, string>();
      for (let i = 0; i < 5; i++) {
        const id = randomUUID();
        const plaintext = `pw-${randomBytes(6).toString('hex')}`;
        plaintexts.set(id, plaintext);
        // Two rows already on the new key, three on the old one; contexts bind rows to their id.
        const box = i < 2 ? rotating : oldBox;
        const sealed = box.seal(plaintext, `vault:${id}`);
        await dataSource.query('INSERT INTO vault VALUES ($1, $2, $3)', [
          id,
          sealed.ciphertext,
          sealed.keyId,
        ]);
      }
      await dataSource.query('INSERT INTO vault VALUES ($1, NULL, NULL)', [randomUUID()]);
      const before: Array<{ id: string; secret: string | null }> = await dataSource.query(
        'SELECT id, secret FROM vault',
      );

      const column = {
        table: 'vault',
        idColumn: 'id',
        ciphertextColumn: 'secret',
        keyIdColumn: 'secret_key_id',
        context: (id: string) => `vault:${id}`,
      };
      const count = await reencryptSecrets(dataSource.manager, rotating, pino({ level: 'silent' }), [column]);
      expect(count).toBe(3);

      const rows: Array<{ id: string; secret: string | null; secret_key_id: string | null }> =
        await dataSource.query('SELECT id, secret, secret_key_id FROM vault');
      const newOnly = new SecretBox(newKey);
      for (const row of rows) {
        if (row.secret === null) {
          expect(row.secret_key_id).toBeNull();
          continue;
        }
        expect(row.secret_key_id).toBe(keyIdOf(newKey));
        expect(newOnly.open({ ciphertext: row.secret, keyId: keyIdOf(newKey) }, `vault:${row.id}`)).toBe(
          plaintexts.get(row.id),
        );
        for (const plaintext of plaintexts.values()) expect(row.secret).not.toContain(plaintext);
      }
      // Rows already on the current key were not rewritten.
      const untouched = before.filter((r) => rows.some((n) => n.id === r.id && n.secret === r.secret));
      expect(untouched.length).toBe(3);
      expect(await reencryptSecrets(dataSource.manager, rotating, undefined, [column])).toBe(0);
    } finally {
      await dataSource.destroy();
    }
  });

  it('a server on DATABASE_URL without MAILER_SECRET_KEY refuses to start with a clear message', async () => {
    const dataDir = await makeDataDir();
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      PORT: '0',
      LOG_LEVEL: 'silent',
    });
    await expect(createApp(config, { logger: pino({ level: 'silent' }) })).rejects.toThrow(
      /MAILER_SECRET_KEY is required when DATABASE_URL is set/,
    );
    await rm(dataDir, { recursive: true, force: true });
    // Nothing was created in the database: the refusal comes first.
    const client = createDataSource({ url: database.url });
    await client.initialize();
    const tables: unknown[] = await client.query("SELECT 1 FROM pg_tables WHERE tablename = 'users'");
    await client.destroy();
    expect(tables).toHaveLength(0);
  });

  it('a malformed MAILER_SECRET_KEY stops the start and does not echo the value', async () => {
    const dataDir = await makeDataDir();
    const bad = `not-a-key-${randomBytes(4).toString('hex')}`;
    const config = loadConfig({
      DATABASE_URL: database.url,
      DATA_DIR: dataDir,
      MAILER_SECRET_KEY: bad,
      PORT: '0',
    });
    const attempt = createApp(config, { logger: pino({ level: 'silent' }) });
    await expect(attempt).rejects.toThrow(/MAILER_SECRET_KEY/);
    await attempt.catch((error: unknown) => expect(String(error)).not.toContain(bad));
    await rm(dataDir, { recursive: true, force: true });
  });
});
