import { mkdtemp, chmod } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { startEmbeddedDatabase } from '../../src/database/embedded/embedded-database';
import { ADMIN_URL_ENV, setRunDatabase } from './run-database';

/**
 * One PostgreSQL for the whole run: DATABASE_URL when set (it needs the right to create databases),
 * else an embedded one in a temporary directory. Test files each create their own database on it.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env[ADMIN_URL_ENV] = process.env.DATABASE_URL;
    return;
  }
  const dataDir = await mkdtemp(path.join(tmpdir(), 'mail-providers-test-pg-'));
  // The embedded server runs as the postgres user when tests run as root; it must reach the directory.
  await chmod(dataDir, 0o755);
  const database = await startEmbeddedDatabase({
    dataDir,
    logger: pino({ level: 'silent' }),
    databaseName: 'postgres',
  });
  process.env[ADMIN_URL_ENV] = database.url;
  setRunDatabase({ stop: database.stop, dataDir });
}
