import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import type { Logger } from '../logger';
import { isDatabaseUnreachable } from './pg-errors';

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 5000;

/**
 * Waits until the PostgreSQL server of `url` accepts a connection, for up to `waitSeconds`: a server
 * started alongside its database (compose, systemd, a reboot) may come first. Each failed attempt is one
 * log line; only a server that cannot be reached is waited for: a refused login or a missing database
 * fails at once, since waiting would not change them.
 */
export async function waitForDatabase(url: string, waitSeconds: number, logger: Logger): Promise<void> {
  const deadline = Date.now() + waitSeconds * 1000;
  for (let attempt = 1, delay = FIRST_DELAY_MS; ; attempt++, delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    const client = new Client({ connectionString: url, connectionTimeoutMillis: MAX_DELAY_MS });
    client.on('error', () => undefined);
    try {
      await client.connect();
      if (attempt > 1) logger.info({ attempt }, 'the database accepts connections');
      return;
    } catch (error) {
      const left = deadline - Date.now();
      if (!isDatabaseUnreachable(error) || left <= 0) throw error;
      const waitMs = Math.min(delay, left);
      logger.warn(
        { attempt, error: error instanceof Error ? error.message : String(error), retryInMs: waitMs },
        `the database does not accept connections yet; trying again (DATABASE_WAIT_SECONDS=${waitSeconds})`,
      );
      await sleep(waitMs);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}
