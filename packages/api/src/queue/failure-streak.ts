import type { Logger } from '../logger';

/**
 * Logs a task that is tried again and again (a poll) the way an operator wants to read it during an outage:
 * the first failure of a run of failures as a warning, then one line when the task works again, with how
 * many tries failed in between, rather than one warning per try.
 */
export class FailureStreak {
  private failures = 0;

  constructor(
    private readonly logger: Logger,
    /** What is tried, as the log lines name it, e.g. "fetching delivery jobs". */
    private readonly task: string,
  ) {}

  failed(error: unknown): void {
    this.failures++;
    if (this.failures === 1) this.logger.warn({ err: error }, `${this.task} failed; trying again`);
  }

  succeeded(): void {
    if (this.failures === 0) return;
    this.logger.info({ failedTries: this.failures }, `${this.task} works again`);
    this.failures = 0;
  }
}
