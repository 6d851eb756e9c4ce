// The statements of a delivery worker's rounds: taking jobs with their deliveries, recording outcomes,
// giving up deliveries whose job died too often.
import { deleteDeliveryJobs, handOutDeliveryJobs } from './delivery-queue';

/**
 * The INSERT that records a round left SENDING by a worker that stopped as an AMBIGUOUS attempt: `cte` holds
 * the locked deliveries (id, previous_status, previous_rounds, previous_since, previous_worker), `failure`
 * the placeholder of the failure without its message (the statement writes the message, naming worker and
 * round), `consequence` what happens to the message next.
 */
function recordCutRound(cte: string, failure: string, consequence: string): string {
  return `
    INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                   outcome, category, failure, worker)
    SELECT c.id, c.previous_rounds, 1, NULL, '(interrupted round)', COALESCE(c.previous_since, now()),
           GREATEST(0, (extract(epoch FROM now() - COALESCE(c.previous_since, now())) * 1000)::int),
           'FAILED', 'AMBIGUOUS',
           ${failure}::jsonb || jsonb_build_object('message', format(
             'The worker %s stopped during round %s before recording its outcome; the message may already have been delivered${consequence}.',
             COALESCE(c.previous_worker, '(unknown)'), c.previous_rounds)),
           c.previous_worker
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
  ), cut AS (${recordCutRound('given_up', '$3', '')}
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
  ), interrupted AS (${recordCutRound('locked', '$5', ', and it is sent again')}
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

/**
 * Records the outcomes of many rounds (jsonb rows in $1) in one statement: the verdicts of the deliveries
 * still SENDING under the job that ran the round, their attempts, and the removal of the rounds' jobs (the
 * delivery log is the record; a round whose delivery moved on meanwhile had a stale job, removed all the
 * same). Returns the ids of the deliveries written.
 */
export const WRITE_OUTCOMES = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      id uuid, job_id uuid, round int, status text, next_attempt_at timestamptz, next_job_id uuid,
      delivered_by_provider_id uuid, delivered_by_provider_name text, provider_message_id text,
      rejected_recipients jsonb, failure jsonb, failure_reason text, attempts jsonb)
  ), updated AS (
    UPDATE deliveries d SET
      status = i.status, updated_at = now(), sending_since = NULL, sending_worker = NULL,
      next_attempt_at = i.next_attempt_at, job_id = COALESCE(i.next_job_id, d.job_id),
      sent_at = CASE WHEN i.status = 'SENT' THEN now() ELSE d.sent_at END,
      finished_at = CASE WHEN i.status IN ('SENT', 'FAILED') THEN now() ELSE NULL END,
      delivered_by_provider_id = i.delivered_by_provider_id,
      delivered_by_provider_name = i.delivered_by_provider_name,
      provider_message_id = i.provider_message_id,
      rejected_recipients = COALESCE(i.rejected_recipients, '[]'::jsonb),
      failure = NULLIF(i.failure, 'null'::jsonb), failure_reason = i.failure_reason
    FROM input i
    WHERE d.id = i.id AND d.job_id = i.job_id AND d.status = 'SENDING'
    RETURNING d.id
  ), attempts AS (
    INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                   outcome, category, skipped_reason, failure, provider_message_id, worker)
    SELECT i.id, i.round, a.seq, a.provider_id, a.provider_name, a.started_at, a.duration_ms, a.outcome,
           a.category, a.skipped_reason, NULLIF(a.failure, 'null'::jsonb), a.provider_message_id, a.worker
    FROM input i
    JOIN updated u ON u.id = i.id
    CROSS JOIN LATERAL jsonb_to_recordset(i.attempts) AS a(seq int, provider_id uuid, provider_name text,
      started_at timestamptz, duration_ms int, outcome text, category text, skipped_reason text, failure jsonb,
      provider_message_id text, worker text)
    ON CONFLICT (delivery_id, round, seq) DO NOTHING
  ), finished AS (
    ${deleteDeliveryJobs('SELECT job_id FROM input')}
  )
  SELECT id FROM updated`;
