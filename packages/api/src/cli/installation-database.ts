import { existsSync } from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config';
import { openEmbeddedDatabase } from '../database/embedded/embedded-database';
import type { Logger } from '../logger';

/** The database of an installation, opened for a command run next to its server. */
export interface InstallationDatabase {
  url: string;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL of DATA_DIR: the one its server runs, while it
 * runs, else one started for the command. A DATA_DIR without a database is refused rather than
 * initialised: it is most likely the wrong directory.
 */
export async function openInstallationDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
  logger: Logger,
): Promise<InstallationDatabase> {
  if (config.databaseUrl) return { url: config.databaseUrl, close: async () => undefined };
  if (!existsSync(path.join(config.dataDir, 'postgres'))) {
    throw new Error(
      `${config.dataDir} holds no database: set DATA_DIR to the server's data directory, or DATABASE_URL to its database.`,
    );
  }
  const embedded = await openEmbeddedDatabase({ dataDir: config.dataDir, logger });
  return { url: embedded.url, close: () => embedded.stop() };
}
