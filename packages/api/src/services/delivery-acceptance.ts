import { parseAddress } from '@mail-providers/mailer-core';
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { GroupCommit, type CommitOutcomes } from '../database/group-commit';
import { BadUserInputError, ConflictError, type FieldError } from '../errors';
import type { MessageColumns } from '../queue/message-columns';
import { QUEUED_NOTIFICATION } from '../database/change-listener';
import { dataSourceExecutor, type SqlExecutor } from '../queue/sql-executor';
import { validateEmailInput, type EmailInputData, type EmailLimits } from './email-input-validation';
import { normaliseSuppressedEmail } from '../suppressions/suppression-store';
import { requestHash } from './request-hash';

/** The most messages one acceptance statement carries (several callers' messages together). */
const MAX_MESSAGES_PER_COMMIT = 500;

export interface DeliveryAcceptanceDeps {
  dataSource: DataSource;
  limits: EmailLimits;
  maxBatch: number;
  /** Columns the INSERT returns for each accepted delivery (must include id and idempotency_key). */
  returning: string;
  /**
   * Takes `points` messages from the sending quota of `key` (the caller), or throws RATE_LIMITED having
   * taken none. Called once per caller per commit with all of that caller's messages in it.
   */
  consumeQuota: (key: string, points: number) => Promise<void>;
  /** Called after a commit that accepted deliveries (wakes this process's worker at once). */
  onEnqueued?: (count: number) => void;
  /** Called after a commit that stored deliveries SUPPRESSED (every recipient on the suppression list). */
  onSuppressed?: (count: number) => void;
  /** Whether to notify worker processes of new deliveries (a process without a worker of its own). */
  announceQueued?: boolean;
}

/** One caller's messages, checked, as they wait for a commit. */
interface Acceptance {
  requestedBy: string | null;
  records: DeliveryRecord[];
  /** Set once the quota is taken, so a retry of the same acceptance is not charged again. */
  quotaTaken: boolean;
}

interface DeliveryRecord extends MessageColumns {
  /** Chosen here, so each record finds its row among those the INSERT returns. */
  id: string;
  channel: string;
  size_bytes: number;
  search_text: string;
  idempotency_key: string | null;
  request_hash: string;
  requested_by: string | null;
  resent_from_id: string | null;
  /** The bare address of each recipient in lower case, in the order of the address columns. */
  to_keys: string[];
  cc_keys: string[];
  bcc_keys: string[];
}

/** How a delivery came to be, besides its message. */
export interface AcceptanceOrigin {
  /** The delivery it is a copy of (resendDelivery). */
  resentFromId?: string;
}

export interface SendOptions extends AcceptanceOrigin {
  /** Put before the name of a bad field: `input.` for sendEmail (the default), none for resendDelivery. */
  fieldPrefix?: string;
}

interface AcceptedRow {
  idempotency_key: string | null;
  id: string;
  status: string;
}

/**
 * How sendEmail and sendEmails store messages: every field checked, then the delivery rows written by one
 * statement before the caller hears QUEUED. A delivery row is its own work item: QUEUED and due at once
 * (its next attempt time defaults to the moment of acceptance), for a worker to claim. Concurrent callers share statements (group
 * commit): at high rates one commit accepts many requests, which is what lets a single API process take
 * thousands of messages a second. Each caller's messages are still all accepted or none.
 */
export class DeliveryAcceptance<Row extends AcceptedRow> {
  private readonly commits: GroupCommit<Acceptance, Row[]>;
  private readonly sql: SqlExecutor;

  constructor(private readonly deps: DeliveryAcceptanceDeps) {
    this.sql = dataSourceExecutor(deps.dataSource);
    this.commits = new GroupCommit((acceptances) => this.commit(acceptances), {
      maxWeight: MAX_MESSAGES_PER_COMMIT,
      weight: (acceptance) => acceptance.records.length,
    });
  }

  /**
   * Stores one message. With an idempotency key already used for the same message, returns that first
   * delivery instead; for a different message, refuses it with CONFLICT.
   */
  async send(input: EmailInputData, requestedBy: string | null, options: SendOptions = {}): Promise<Row> {
    const { fieldPrefix = 'input.', ...origin } = options;
    const [row] = await this.accept([input], requestedBy, (field) => `${fieldPrefix}${field}`, origin);
    if (!row) throw new Error('A delivery was accepted but not returned.');
    return row;
  }

  /** Like {@link send} for many messages: all are accepted or none. */
  async sendMany(inputs: EmailInputData[], requestedBy: string | null): Promise<Row[]> {
    if (inputs.length === 0) {
      throw new BadUserInputError([{ field: 'inputs', message: 'Give at least one message.' }]);
    }
    if (inputs.length > this.deps.maxBatch) {
      throw new BadUserInputError([
        {
          field: 'inputs',
          message: `Send at most ${this.deps.maxBatch} messages per call; split the batch.`,
        },
      ]);
    }
    return this.accept(inputs, requestedBy, (field, index) => `inputs[${index}].${field}`);
  }

  private accept(
    inputs: EmailInputData[],
    requestedBy: string | null,
    fieldName: (field: string, index: number) => string,
    origin: AcceptanceOrigin = {},
  ): Promise<Row[]> {
    const problems: FieldError[] = [];
    const records: DeliveryRecord[] = [];
    inputs.forEach((input, index) => {
      const checked = validateEmailInput(input, this.deps.limits);
      if (!checked.ok) {
        for (const problem of checked.problems)
          problems.push({ ...problem, field: fieldName(problem.field, index) });
        return;
      }
      const email = checked.email;
      records.push({
        id: randomUUID(),
        channel: email.channel,
        to_addresses: email.to,
        cc_addresses: email.cc,
        bcc_addresses: email.bcc,
        reply_to: email.replyTo,
        subject: email.subject,
        text_body: email.text,
        html_body: email.html,
        size_bytes: email.sizeBytes,
        search_text: [...email.to, ...email.cc, ...email.bcc, email.subject].join(' ').toLowerCase(),
        idempotency_key: email.idempotencyKey,
        request_hash: requestHash(email),
        requested_by: requestedBy,
        resent_from_id: origin.resentFromId ?? null,
        to_keys: email.to.map(suppressionKey),
        cc_keys: email.cc.map(suppressionKey),
        bcc_keys: email.bcc.map(suppressionKey),
      });
    });
    if (problems.length > 0) return Promise.reject(new BadUserInputError(problems));
    const repeated = conflictingKeys(records, new Map());
    if (repeated.length > 0) return Promise.reject(keyConflict(repeated));
    return this.commits.submit({ requestedBy, records, quotaTaken: false });
  }

  /**
   * One statement for the acceptances of several callers. A caller over its quota is refused alone; the
   * others are written.
   */
  private async commit(acceptances: Acceptance[]): Promise<CommitOutcomes<Row[]>> {
    const conflicts = await this.findConflicts(acceptances);
    const refusals = await this.takeQuotas(acceptances.filter((acceptance) => !conflicts.has(acceptance)));
    for (const [acceptance, error] of conflicts) refusals.set(acceptance, error);
    const admitted = acceptances.filter((acceptance) => !refusals.has(acceptance));
    const { rowsOf, enqueued, suppressed } =
      admitted.length > 0
        ? await this.write(admitted)
        : { rowsOf: new Map<Acceptance, Row[] | Error>(), enqueued: 0, suppressed: 0 };
    if (enqueued > 0) this.deps.onEnqueued?.(enqueued);
    if (suppressed > 0) this.deps.onSuppressed?.(suppressed);
    return acceptances.map((acceptance) => refusals.get(acceptance) ?? rowsOf.get(acceptance) ?? []);
  }

  /**
   * Acceptances that reuse one of their caller's idempotency keys for a different message: refused before
   * anything is written or charged.
   */
  private async findConflicts(acceptances: Acceptance[]): Promise<Map<Acceptance, Error>> {
    const keyed = acceptances.flatMap((acceptance) =>
      acceptance.records.filter((record) => record.idempotency_key !== null),
    );
    const conflicts = new Map<Acceptance, Error>();
    if (keyed.length === 0) return conflicts;
    const stored = await this.storedHashes(keyed);
    for (const acceptance of acceptances) {
      const keys = conflictingKeys(acceptance.records, stored);
      if (keys.length > 0) conflicts.set(acceptance, keyConflict(keys));
    }
    return conflicts;
  }

  /** The request hashes stored for the callers' keys of `records` (none for deliveries from before hashes). */
  private async storedHashes(records: DeliveryRecord[]): Promise<Map<string, string>> {
    const { rows } = await this.sql.executeSql<{
      requested_by: string | null;
      idempotency_key: string;
      request_hash: string;
    }>(
      `SELECT requested_by, idempotency_key, request_hash FROM deliveries
       WHERE idempotency_key IS NOT NULL AND request_hash IS NOT NULL
         AND (coalesce(requested_by, ''), idempotency_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
      [records.map((record) => record.requested_by ?? ''), records.map((record) => record.idempotency_key)],
    );
    return new Map(rows.map((row) => [callerKey(row.requested_by, row.idempotency_key), row.request_hash]));
  }

  /**
   * Takes each caller's messages from its quota, all of a caller's acceptances at once; a caller refused for
   * the sum is charged acceptance by acceptance, so what still fits goes through. Returns the refusals.
   */
  private async takeQuotas(acceptances: Acceptance[]): Promise<Map<Acceptance, Error>> {
    const byCaller = new Map<string, Acceptance[]>();
    for (const acceptance of acceptances) {
      if (acceptance.quotaTaken) continue;
      const key = acceptance.requestedBy ?? 'anonymous';
      byCaller.set(key, [...(byCaller.get(key) ?? []), acceptance]);
    }
    const refusals = new Map<Acceptance, Error>();
    const charge = async (key: string, group: Acceptance[]): Promise<void> => {
      try {
        await this.deps.consumeQuota(
          key,
          group.reduce((sum, one) => sum + one.records.length, 0),
        );
        for (const acceptance of group) acceptance.quotaTaken = true;
      } catch (error) {
        if (group.length > 1) for (const acceptance of group) await charge(key, [acceptance]);
        else for (const acceptance of group) refusals.set(acceptance, toError(error));
      }
    };
    await Promise.all([...byCaller].map(([key, group]) => charge(key, group)));
    return refusals;
  }

  /**
   * Writes the deliveries, their search text and their events in one statement, which is atomic by itself:
   * no transaction to open and commit around it. In a process without a worker of its own, the same
   * statement wakes the worker processes (PostgreSQL delivers the notification at its commit).
   *
   * Recipients on the suppression list (for all mail or for the message's channel) are dropped on the way
   * in, see {@link acceptDeliveries}.
   */
  private async write(
    acceptances: Acceptance[],
  ): Promise<{ rowsOf: Map<Acceptance, Row[] | Error>; enqueued: number; suppressed: number }> {
    const records = acceptances.flatMap((acceptance) => acceptance.records);
    const keys = new Set(
      records.flatMap((record) => [...record.to_keys, ...record.cc_keys, ...record.bcc_keys]),
    );
    const { rows: inserted } = await this.sql.executeSql<Row>(
      acceptDeliveries(this.deps.returning, this.deps.announceQueued === true),
      [JSON.stringify(records.map((record, ord) => ({ ord, ...record }))), [...keys]],
    );
    const byId = new Map(inserted.map((row) => [row.id, row]));
    // A caller's key used before (or twice in this statement) inserted nothing: its first delivery answers.
    const reused = records.filter((record) => !byId.has(record.id) && record.idempotency_key !== null);
    const byKey = new Map<string, Row>();
    const storedHash = new Map<string, string>();
    if (reused.length > 0) {
      const { rows } = await this.sql.executeSql<
        Row & { requested_by: string | null; stored_hash: string | null }
      >(
        `SELECT ${this.deps.returning}, requested_by, request_hash AS stored_hash FROM deliveries
         WHERE idempotency_key IS NOT NULL
           AND (coalesce(requested_by, ''), idempotency_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [reused.map((record) => record.requested_by ?? ''), reused.map((record) => record.idempotency_key)],
      );
      for (const row of rows) {
        const key = callerKey(row.requested_by, row.idempotency_key);
        byKey.set(key, row);
        if (row.stored_hash !== null) storedHash.set(key, row.stored_hash);
      }
    }
    const rowOf = (record: DeliveryRecord): Row => {
      const row = byId.get(record.id) ?? byKey.get(callerKey(record.requested_by, record.idempotency_key));
      if (!row) throw new Error('An accepted delivery could not be read back.');
      return row;
    };
    // A key first used by a concurrent request for a different message, between the check and this write.
    const outcomeOf = (acceptance: Acceptance): Row[] | Error => {
      const lost = conflictingKeys(
        acceptance.records.filter((record) => !byId.has(record.id)),
        storedHash,
      );
      return lost.length > 0 ? keyConflict(lost) : acceptance.records.map(rowOf);
    };
    const rowsOf = new Map(acceptances.map((acceptance) => [acceptance, outcomeOf(acceptance)]));
    const suppressed = inserted.filter((row) => row.status === 'SUPPRESSED').length;
    return { rowsOf, enqueued: inserted.length - suppressed, suppressed };
  }
}

/**
 * The statement that accepts deliveries ($1: the records as jsonb rows; $2: every recipient's bare address
 * in lower case, for one look-up of the suppression list per statement).
 *
 * A recipient whose address has an entry for all mail (`ALL`) or for the message's channel is dropped from
 * to, cc and bcc and listed in `suppressed_recipients`, with a DELIVERY_SUPPRESSED event. When no To
 * recipient is left, the remaining Cc recipients take their place (a message needs a To), or a single
 * remaining Bcc recipient, who then sees no one else (several stay Bcc: moving them would show each to the
 * others, and the worker fails such a message for want of a To). When no recipient is left at all, the delivery is stored SUPPRESSED and finished: no worker claims it and no provider is
 * tried. Every delivery written gets its DELIVERY_QUEUED event first. Without a matching entry (the usual
 * case) the addresses are taken as they are, without looking at each one.
 */
function acceptDeliveries(returning: string, announce: boolean): string {
  const kept = (column: string) => `
    CASE WHEN NOT EXISTS (SELECT 1 FROM hits) THEN x.${column}_addresses ELSE ARRAY(
      SELECT r.address FROM unnest(x.${column}_addresses, x.${column}_keys) WITH ORDINALITY AS r(address, key, n)
      WHERE NOT EXISTS (SELECT 1 FROM hits h WHERE h.email = r.key AND h.scope IN ('ALL', x.channel))
      ORDER BY r.n) END`;
  return `WITH input AS (
      SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(ord int, id uuid, channel text, to_addresses text[],
        cc_addresses text[], bcc_addresses text[], reply_to text, subject text, text_body text, html_body text,
        size_bytes int, search_text text, idempotency_key text, request_hash text, requested_by text,
        resent_from_id uuid, to_keys text[], cc_keys text[], bcc_keys text[])
    ), hits AS (
      SELECT email, scope FROM suppressions WHERE email = ANY($2::text[])
    ), filtered AS MATERIALIZED (
      SELECT x.*, ${kept('to')} AS to_kept, ${kept('cc')} AS cc_kept, ${kept('bcc')} AS bcc_kept,
        CASE WHEN NOT EXISTS (SELECT 1 FROM hits) THEN '{}'::text[] ELSE ARRAY(
          SELECT DISTINCT h.email FROM hits h
          WHERE h.email = ANY(x.to_keys || x.cc_keys || x.bcc_keys) AND h.scope IN ('ALL', x.channel)
          ORDER BY h.email) END AS suppressed
      FROM input x
    ), checked AS (
      SELECT f.*,
        CASE WHEN cardinality(f.to_kept) > 0 THEN f.to_kept
             WHEN cardinality(f.cc_kept) > 0 OR cardinality(f.bcc_kept) <> 1 THEN f.cc_kept
             ELSE f.bcc_kept END AS to_final,
        CASE WHEN cardinality(f.to_kept) > 0 THEN f.cc_kept ELSE '{}'::text[] END AS cc_final,
        CASE WHEN cardinality(f.to_kept) + cardinality(f.cc_kept) = 0 AND cardinality(f.bcc_kept) = 1
             THEN '{}'::text[] ELSE f.bcc_kept END AS bcc_final,
        cardinality(f.to_kept) + cardinality(f.cc_kept) + cardinality(f.bcc_kept) = 0 AS all_suppressed
      FROM filtered f
    ), inserted AS (
      INSERT INTO deliveries (id, status, channel, to_addresses, cc_addresses, bcc_addresses, reply_to,
                              subject, text_body, html_body, size_bytes, idempotency_key, request_hash,
                              requested_by, resent_from_id, suppressed_recipients, next_attempt_at, finished_at)
      SELECT x.id, CASE WHEN x.all_suppressed THEN 'SUPPRESSED' ELSE 'QUEUED' END, x.channel, x.to_final,
             x.cc_final, x.bcc_final, x.reply_to, x.subject, x.text_body, x.html_body, x.size_bytes,
             x.idempotency_key, x.request_hash, x.requested_by, x.resent_from_id, x.suppressed,
             CASE WHEN x.all_suppressed THEN NULL ELSE now() END, CASE WHEN x.all_suppressed THEN now() END
      FROM checked x
      ORDER BY x.ord
      ON CONFLICT ((coalesce(requested_by, '')), idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
      RETURNING ${returning}
    ), searchable AS (
      INSERT INTO delivery_search (delivery_id, search_text)
      SELECT i.id, x.search_text FROM inserted i JOIN input x ON x.id = i.id
    ), logged AS (
      INSERT INTO events (type, delivery_id, recipient, payload)
      SELECT e.type, e.delivery_id, e.recipient, jsonb_build_object('channel', e.channel)
      FROM (
        SELECT x.ord, 0::bigint AS n, 'DELIVERY_QUEUED' AS type, x.id AS delivery_id, NULL::text AS recipient,
               x.channel
        FROM checked x JOIN inserted i ON i.id = x.id
        UNION ALL
        SELECT x.ord, s.n, 'DELIVERY_SUPPRESSED', x.id, s.recipient, x.channel
        FROM checked x JOIN inserted i ON i.id = x.id
        CROSS JOIN LATERAL unnest(x.suppressed) WITH ORDINALITY AS s(recipient, n)
      ) e
      ORDER BY e.ord, e.n
    )
    SELECT inserted.* FROM inserted${announce ? `, (SELECT ${QUEUED_NOTIFICATION}) AS wakeup` : ''}`;
}

/**
 * The address the suppression list knows a recipient by: the bare address of a canonical `Name <addr>` or
 * `addr`, in lower case.
 */
export function suppressionKey(recipient: string): string {
  return normaliseSuppressedEmail(parseAddress(recipient).address);
}

/**
 * The idempotency keys among `records` whose message differs from the one stored for the key (`stored`, by
 * caller and key) or from an earlier record of the same call.
 */
function conflictingKeys(records: DeliveryRecord[], stored: Map<string, string>): string[] {
  const seen = new Map(stored);
  const conflicting = new Set<string>();
  for (const record of records) {
    if (record.idempotency_key === null) continue;
    const key = callerKey(record.requested_by, record.idempotency_key);
    const hash = seen.get(key);
    if (hash === undefined) seen.set(key, record.request_hash);
    else if (hash !== record.request_hash) conflicting.add(record.idempotency_key);
  }
  return [...conflicting];
}

function keyConflict(keys: string[]): ConflictError {
  const quoted = keys.map((key) => `"${key}"`).join(', ');
  return new ConflictError(
    `The idempotency key ${quoted} was already used for a different message; use a new key for a new message, ` +
      'or send exactly the same message to get its first delivery.',
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** An idempotency key within its caller's key space. */
function callerKey(requestedBy: string | null, key: string | null): string {
  return `${requestedBy ?? ''}\n${key ?? ''}`;
}
