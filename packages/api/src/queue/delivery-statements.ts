// The statements that hand rounds out and cut them: taking jobs with their deliveries, and giving up
// deliveries whose job died too often. The outcome write is in outcome-statements.ts.
import { handOutDeliveryJobs } from './delivery-queue';

/** Who recorded a cut round: the next round's take, or the dead-letter sweep that gave the delivery up. */
export type CutBy = 'NEXT_ROUND' | 'DEAD_LETTER';

/**
 * The INSERT that records a round left SENDING by a worker that stopped as an AMBIGUOUS attempt, marked with
 * who cut it: `cte` holds the locked deliveries (id, previous_status, previous_rounds, previous_since,
 * previous_worker), `failure` the placeholder of the failure without its message (the statement writes the
 * message, naming worker and round), `consequence` what happens to the message next.
 *
 * A worker that in fact kept running, but could not reach the database until its round was cut, later
 * replaces this message with the true reason (EXPLAIN_CUT_ROUNDS in outcome-statements.ts).
 */
function recordCutRound(cte: string, failure: string, consequence: string, cutBy: CutBy): string {
  return `
    INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                   outcome, category, failure, worker, cut_by)
    SELECT c.id, c.previous_rounds, 1, NULL, '(interrupted round)', COALESCE(c.previous_since, now()),
           GREATEST(0, (extract(epoch FROM now() - COALESCE(c.previous_since, now())) * 1000)::int),
           'FAILED', 'AMBIGUOUS',
           ${failure}::jsonb || jsonb_build_object('message', format(
             'The worker %s stopped during round %s before recording its outcome; the message may already have been delivered${consequence}.',
             COALESCE(c.previous_worker, '(unknown)'), c.previous_rounds)),
           c.previous_worker, '${cutBy}'
    FROM ${cte} c WHERE c.previous_status = 'SENDING'
    ON CONFLICT (delivery_id, round, seq) DO NOTHING`;
}

/**
 * Gives up deliveries whose job died too often (the dead-letter queue): FAILED with the reason, and the
 * round that was cut recorded as AMBIGUOUS like any interrupted round.
 */
export const GIVE_UP = `
  WITH dead AS (
    SELECT * FROM unnest($1::uuid[], $2::uuid[]) AS x(delivery_id, job_id)
  ), given_up AS (
    SELECT d.id, d.status AS previous_status, d.rounds AS previous_rounds, d.sending_since AS previous_since,
           d.sending_worker AS previous_worker
    FROM deliveries d JOIN dead ON d.id = dead.delivery_id AND d.job_id = dead.job_id
    WHERE d.status IN ('QUEUED', 'SENDING', 'RETRYING')
    ORDER BY d.id
    FOR UPDATE OF d
  ), cut AS (${recordCutRound('given_up', '$3', '', 'DEAD_LETTER')}
  )
  UPDATE deliveries d SET
    status = 'FAILED', finished_at = now(), updated_at = now(), sending_since = NULL, sending_worker = NULL,
    next_attempt_at = NULL,
    failure_reason = 'Its worker stopped (or lost the database) too many times while sending it, so it was stopped rather than retried forever. Find out why workers stop, then retry it.'
  FROM given_up g
  WHERE d.id = g.id`;

/** A uuid as text, strictly (a job's data is JSON: a value that is no uuid must not break the cast). */
const UUID_PATTERN = '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$';

/**
 * Takes up to $1 rounds in one statement: hands out due jobs (pg-boss's fetch) and claims their deliveries.
 * It locks the deliveries still waiting for exactly these jobs, records a round found SENDING (its worker
 * died mid-send) as AMBIGUOUS, fixes the Message-ID before the first round, and marks them SENDING by this
 * worker ($2). One row per job handed out: a stale job (its delivery finished, moved on to another job, or
 * was purged) has no delivery columns. If the statement fails, nothing was handed out or claimed.
 */
export const TAKE_ROUNDS = `
  WITH ${handOutDeliveryJobs('$1')}, wanted AS (
    SELECT (h.data->>'deliveryId')::uuid AS id, h.id AS job_id, gen_random_uuid()::text AS token
    FROM handed_out h
    WHERE h.data->>'deliveryId' ~* '${UUID_PATTERN}'
  ), locked AS (
    SELECT d.id, d.status AS previous_status, d.rounds AS previous_rounds, d.sending_since AS previous_since,
           d.sending_worker AS previous_worker
    FROM deliveries d JOIN wanted w ON w.id = d.id AND w.job_id = d.job_id
    WHERE d.status IN ('QUEUED', 'RETRYING', 'SENDING')
    ORDER BY d.id
    FOR UPDATE OF d
  ), interrupted AS (${recordCutRound('locked', '$5', ', and it is sent again', 'NEXT_ROUND')}
  ), claimed AS (
    UPDATE deliveries d SET
      status = 'SENDING', rounds = d.rounds + 1, sending_since = now(), sending_worker = $2, next_attempt_at = NULL,
      message_id = COALESCE(d.message_id, '<' || w.token || '@' || CASE d.channel WHEN 'CRM' THEN $4 ELSE $3 END || '>'),
      updated_at = now()
    FROM locked l JOIN wanted w ON w.id = l.id
    WHERE d.id = l.id
    RETURNING d.id, d.job_id, d.channel, d.rounds, d.message_id, d.to_addresses, d.cc_addresses, d.bcc_addresses,
              d.reply_to, d.subject, d.text_body, d.html_body, d.window_started_at
  )
  SELECT h.id AS handed_out_job_id, c.*
  FROM handed_out h LEFT JOIN claimed c ON c.job_id = h.id`;
