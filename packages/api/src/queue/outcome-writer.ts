import type { Failure } from '@mail-providers/mailer-core';
import type { DataSource } from 'typeorm';
import { isDatabaseUnreachable } from '../database/pg-errors';
import type { DeliveryStatus } from '../entities/delivery.entity';
import type { Logger } from '../logger';
import type { CutBy } from './cut-round-record';
import { outcomeWriteBudgetMs } from './lease-budget';
import { EXPLAIN_CUT_ROUNDS, WRITE_OUTCOMES } from './outcome-statements';
import type { RetryPolicy } from './retry-policy';
import { attemptRecords, roundVerdict, type AttemptRecord, type RoundOutcome } from './round-verdict';
import { dataSourceExecutor, type SqlExecutor } from './sql-executor';
import { unrecordedRoundAccount } from './unrecorded-round';

/** A round as its worker claimed it: the delivery, and the round number it was claimed with. */
export interface ClaimedRound {
  id: string;
  round: number;
  windowStartedAt: Date;
}

export interface OutcomeWriterDeps {
  dataSource: DataSource;
  logger: Logger;
  /** The worker whose rounds are written, as the log names it. */
  workerId: string;
  retry: RetryPolicy;
  /** How long a claim holds its delivery (see lease-budget.ts). */
  leaseSeconds: number;
}

/** A round's outcome as the batched write takes it (snake_case: it goes through jsonb_to_recordset). */
interface OutcomeRow {
  id: string;
  round: number;
  status: DeliveryStatus;
  next_attempt_at: string | null;
  delivered_by_provider_id: string | null;
  delivered_by_provider_name: string | null;
  provider_message_id: string | null;
  rejected_recipients: unknown[];
  failure: Failure | null;
  failure_reason: string | null;
  attempts: AttemptRecord[];
}

/** A row of {@link WRITE_OUTCOMES}: the round written, or what its delivery had become instead. */
interface WriteResult {
  id: string;
  round: number;
  written: boolean;
  current_round: number | null;
  current_status: DeliveryStatus | null;
  cut_by: CutBy | null;
}

interface PendingWrite {
  row: OutcomeRow;
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

const MAX_WRITE_BATCH = 200;
/**
 * Outcomes are written this long after the first of them is ready, so rounds finishing close together share
 * one statement. Invisible to senders (they heard QUEUED long ago); it only delays the log by as much.
 */
const WRITE_GATHER_MS = 10;

const roundKey = (id: string, round: number) => `${id}:${round}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes a worker's round outcomes: the verdicts and attempts of many rounds in one statement. The write is
 * fenced by the round number of the claim: a round whose lease expired and whose delivery went to a newer
 * round writes nothing.
 */
export class OutcomeWriter {
  private readonly sql: SqlExecutor;
  private pending: PendingWrite[] = [];
  private writing = false;
  /** The worker is shutting down: outcomes are written at once instead of gathered. */
  private draining = false;
  /** The shutdown's wait for rounds is over: a write the database does not take is given up. */
  private abandoned = false;

  constructor(private readonly deps: OutcomeWriterDeps) {
    this.sql = dataSourceExecutor(deps.dataSource);
  }

  drain(): void {
    this.draining = true;
  }

  abandon(): void {
    this.abandoned = true;
  }

  /**
   * Writes the round's outcome and resolves with the status written, or null when nothing was.
   *
   * A database that cannot be reached is waited for while the worker runs (its shutdown gives up after the
   * drain), so the outcome of a send that happened is not lost: it is written when the database is back.
   * If the round's lease expired meanwhile and the delivery was taken by a newer round or given up, the
   * fence drops the write, and the cut round's record, which could only guess that this worker had
   * stopped, is corrected to say that the database was unreachable. Other failures are retried for the
   * outcome write budget; after that the lease expires and the next round records this one as cut.
   */
  async record(round: ClaimedRound, outcome: RoundOutcome): Promise<DeliveryStatus | null> {
    const deadline = Date.now() + outcomeWriteBudgetMs(this.deps.leaseSeconds);
    let unreachableSince: number | undefined;
    for (let tries = 1, wait = 250; ; tries++, wait = Math.min(wait * 2, 4000)) {
      const row = this.outcomeRow(round, outcome);
      let result: WriteResult;
      try {
        result = await this.submit(row);
      } catch (error) {
        const unreachable = isDatabaseUnreachable(error);
        if (unreachable) unreachableSince ??= Date.now();
        const fields = { err: error, deliveryId: round.id, round: round.round };
        if (this.abandoned || (!unreachable && Date.now() + wait > deadline)) {
          this.deps.logger.error(
            fields,
            'could not record a delivery round; its lease will expire and the next round records it as cut',
          );
          return null;
        }
        if (tries === 1) {
          this.deps.logger.warn(
            fields,
            unreachable
              ? 'recording a round failed: the database is unreachable; retrying until it is back'
              : 'recording a round failed; retrying',
          );
        }
        await sleep(wait);
        continue;
      }
      return this.settle(round, row, result, unreachableSince);
    }
  }

  /** What a write that went through means for its round. */
  private async settle(
    round: ClaimedRound,
    row: OutcomeRow,
    result: WriteResult,
    unreachableSince: number | undefined,
  ): Promise<DeliveryStatus | null> {
    if (result.written) return row.status;
    if (
      result.current_round === round.round &&
      result.cut_by === null &&
      result.current_status !== null &&
      result.current_status !== 'SENDING'
    ) {
      // An earlier try of this write was committed; only its answer was lost with the connection.
      return result.current_status;
    }
    const unreachableMs = unreachableSince === undefined ? undefined : Date.now() - unreachableSince;
    this.deps.logger.warn(
      {
        deliveryId: round.id,
        round: round.round,
        deliveryRound: result.current_round,
        deliveryStatus: result.current_status,
        unreachableMs,
      },
      result.cut_by === 'DEAD_LETTER'
        ? 'a delivery was given up (its leases kept expiring) before the outcome of its round was written; the outcome was dropped'
        : result.current_status === null
          ? 'the delivery of a round no longer exists; its outcome was dropped'
          : 'a delivery round lost its lease to a newer round; its outcome was dropped',
    );
    if (unreachableMs !== undefined) await this.explainCut(round, unreachableMs);
    return null;
  }

  /** Says in the cut round's record that this worker ran on, but could not reach the database. */
  private async explainCut(round: ClaimedRound, unreachableMs: number): Promise<void> {
    const account = unrecordedRoundAccount(this.deps.workerId, round.round, unreachableMs);
    const row = {
      id: round.id,
      round: round.round,
      next_round_failure: account.nextRound,
      dead_letter_failure: account.deadLetter,
      given_up_reason: account.givenUpReason,
    };
    try {
      await this.sql.executeSql(EXPLAIN_CUT_ROUNDS, [JSON.stringify([row])]);
    } catch (error) {
      this.deps.logger.warn(
        { err: error, deliveryId: round.id, round: round.round },
        'could not correct the record of a cut round; it still says that the worker stopped',
      );
    }
  }

  private outcomeRow(round: ClaimedRound, outcome: RoundOutcome): OutcomeRow {
    const verdict = roundVerdict(round, outcome, this.deps.retry);
    return {
      id: round.id,
      round: round.round,
      status: verdict.status,
      next_attempt_at: verdict.nextAttemptAt?.toISOString() ?? null,
      delivered_by_provider_id: verdict.deliveredById,
      delivered_by_provider_name: verdict.deliveredByName,
      provider_message_id: verdict.providerMessageId,
      rejected_recipients: verdict.rejected,
      failure: verdict.failure,
      failure_reason: verdict.reason,
      attempts: attemptRecords(outcome, this.deps.workerId),
    };
  }

  /**
   * Queues the outcome for the next batched write. Rounds that finish while a write is running are written
   * together by the next one: at high rates one statement records many deliveries.
   */
  private submit(row: OutcomeRow): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ row, resolve, reject });
      this.startWrites();
    });
  }

  private startWrites(): void {
    if (this.writing || this.pending.length === 0) return;
    this.writing = true;
    if (this.pending.length >= MAX_WRITE_BATCH || this.draining) this.writeBatch();
    else setTimeout(() => this.writeBatch(), WRITE_GATHER_MS);
  }

  private writeBatch(): void {
    const batch = this.pending.splice(0, MAX_WRITE_BATCH);
    this.write(batch.map((entry) => entry.row))
      .then(
        (results) => {
          const byRound = new Map(results.map((result) => [roundKey(result.id, result.round), result]));
          for (const entry of batch) {
            const result = byRound.get(roundKey(entry.row.id, entry.row.round));
            if (result) entry.resolve(result);
            else entry.reject(new Error('The outcome write answered nothing for a round it was given.'));
          }
        },
        (error: unknown) => {
          for (const entry of batch) entry.reject(error);
        },
      )
      .finally(() => {
        this.writing = false;
        this.startWrites();
      });
  }

  private async write(rows: OutcomeRow[]): Promise<WriteResult[]> {
    const { rows: results } = await this.sql.executeSql<WriteResult>(WRITE_OUTCOMES, [
      JSON.stringify(rows),
      this.deps.workerId,
    ]);
    return results;
  }
}
