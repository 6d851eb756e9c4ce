import { OAuth2GrantError } from '@mail-providers/mailer-core';
import type { Logger } from '../logger';
import type { Closable, ServiceContainer, Startable } from '../service-container';
import { MailerService } from '../services/mailer.service';

/** Held while one process checks the connections, so two never refresh them side by side. */
const CHECK_LOCK_KEY = 7_163_702_200;
/** How often a process looks for connections due a check. */
const CHECK_INTERVAL_MS = 60 * 60_000;
/** The first look after start, so frequent restarts do not put it off. */
const FIRST_CHECK_MS = 5 * 60_000;
/** A connection not refreshed for this long is refreshed now: every one at least daily. */
export const CHECK_AFTER_MS = 12 * 60 * 60_000;

export interface HealthCheckRun {
  /** False when another process held the lock. */
  ran: boolean;
  refreshed: number;
  failed: number;
}

/**
 * Refreshes every OAuth2 connection at least once a day, so a refresh token that was revoked, expired or
 * lost its consent is found (lastError, an OAUTH_REVOKED alert) before mail needs it. Runs in processes
 * with a delivery worker, on a timer, under an advisory lock so one process does it at a time.
 */
export class OAuthHealthCheckService implements Startable, Closable {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = false;
  private readonly logger: Logger;

  constructor(private readonly services: ServiceContainer) {
    this.logger = services.logger.child({ component: 'oauth-health-check' });
  }

  async start(): Promise<void> {
    if (this.services.config.mode === 'api') return;
    this.schedule(FIRST_CHECK_MS);
  }

  async close(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Refreshes the connections due (all of them with `olderThanMs` 0), unless another process is at it. */
  async runOnce(olderThanMs = CHECK_AFTER_MS): Promise<HealthCheckRun> {
    const runner = this.services.dataSource.createQueryRunner();
    try {
      const locked: unknown = await runner.query('SELECT pg_try_advisory_lock($1) AS locked', [
        CHECK_LOCK_KEY,
      ]);
      if (!(Array.isArray(locked) && (locked[0] as { locked?: boolean } | undefined)?.locked)) {
        return { ran: false, refreshed: 0, failed: 0 };
      }
      try {
        const due: unknown = await runner.query(
          `SELECT provider_id FROM oauth_connections
            WHERE refresh_token_ciphertext IS NOT NULL
              AND (last_refresh_at IS NULL OR last_refresh_at <= now() - $1 * interval '1 millisecond')`,
          [olderThanMs],
        );
        const run: HealthCheckRun = { ran: true, refreshed: 0, failed: 0 };
        const tokens = this.services.get(MailerService).tokenSource;
        for (const row of Array.isArray(due) ? (due as Array<{ provider_id: string }>) : []) {
          if (this.stopped) break;
          try {
            await tokens.refresh(row.provider_id, 'check');
            run.refreshed++;
          } catch (error) {
            run.failed++;
            const code = error instanceof OAuth2GrantError ? error.code : 'refresh_failed';
            this.logger.warn(
              { providerId: row.provider_id, code },
              'an OAuth2 connection failed its daily check',
            );
          }
        }
        return run;
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1)', [CHECK_LOCK_KEY]);
      }
    } finally {
      await runner.release();
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      const run = this.runOnce().catch((error: unknown) => {
        this.logger.warn({ err: error }, 'checking the OAuth2 connections failed; it is tried again later');
      });
      this.running = run;
      void run.finally(() => this.schedule(CHECK_INTERVAL_MS));
    }, ms);
    this.timer.unref();
  }
}
