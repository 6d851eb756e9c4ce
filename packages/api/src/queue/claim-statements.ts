// The statement with which a worker claims its rounds from the deliveries table.
import { recordCutRound } from './cut-round-record';

/**
 * Claims up to $1 due deliveries for the worker $2, in one statement, each for one worker only.
 *
 * Due are waiting deliveries (QUEUED, RETRYING) whose next attempt time has come, and deliveries left
 * SENDING whose lease has expired (their worker died or lost the database) fewer than $7 times in a row;
 * the oldest due first. Each part reads its partial index in order and locks with SKIP LOCKED, so
 * concurrent claims pass each other's rows by instead of waiting for them or taking them twice: a row
 * another claim changed after this statement's snapshot is checked again as it now is, and is no longer
 * due.
 *
 * A claimed delivery is SENDING by $2, one round further, with a lease of $6 seconds and its Message-ID
 * fixed before the first round (the first provider's From domain per channel: $3 DEFAULT, $4 CRM). A
 * delivery taken over from an expired lease has the cut round recorded as AMBIGUOUS ($5: the failure
 * without its message) and one more lease expiry counted. `job_id` is cleared, so a worker of the earlier
 * release, which takes only the delivery its job names, leaves it alone during a rolling upgrade.
 *
 * One row per claimed delivery, with its message. If the statement fails, nothing was claimed.
 */
export const CLAIM_ROUNDS = `
  WITH waiting AS (
    SELECT id, status, rounds, sending_since, claimed_by, next_attempt_at AS due_at
    FROM deliveries
    WHERE status IN ('QUEUED', 'RETRYING') AND next_attempt_at <= now()
    ORDER BY next_attempt_at
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  ), expired AS (
    SELECT id, status, rounds, sending_since, claimed_by, lease_expires_at AS due_at
    FROM deliveries
    WHERE status = 'SENDING' AND lease_expires_at <= now() AND lease_expiries < $7
    ORDER BY lease_expires_at
    LIMIT $1
    FOR UPDATE SKIP LOCKED
  ), picked AS (
    SELECT id, status AS previous_status, rounds AS previous_rounds, sending_since AS previous_since,
           claimed_by AS previous_worker
    FROM (SELECT * FROM waiting UNION ALL SELECT * FROM expired) due
    ORDER BY due_at
    LIMIT $1
  ), interrupted AS (${recordCutRound('picked', '$5', ', and it is sent again', 'NEXT_ROUND')}
  )
  UPDATE deliveries d SET
    status = 'SENDING', rounds = d.rounds + 1, claimed_by = $2, sending_since = now(),
    lease_expires_at = now() + $6::int * interval '1 second',
    lease_expiries = CASE WHEN p.previous_status = 'SENDING' THEN d.lease_expiries + 1 ELSE d.lease_expiries END,
    next_attempt_at = NULL, job_id = NULL,
    message_id = COALESCE(d.message_id,
      '<' || gen_random_uuid()::text || '@' || CASE d.channel WHEN 'CRM' THEN $4 ELSE $3 END || '>'),
    updated_at = now()
  FROM picked p
  WHERE d.id = p.id
  RETURNING d.id, d.channel, d.rounds, d.message_id, d.to_addresses, d.cc_addresses, d.bcc_addresses,
            d.reply_to, d.subject, d.text_body, d.html_body, d.window_started_at`;
