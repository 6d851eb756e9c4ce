// The statements of the lease sweep: giving up deliveries whose leases keep expiring, and giving a lease
// and a due time to rows written by processes of the earlier release.
import { recordCutRound } from './cut-round-record';

/** Why a delivery whose leases kept expiring ended FAILED. */
const GIVEN_UP_REASON =
  'Its worker stopped (or lost the database) too many times while sending it, so it was stopped rather than retried forever. Find out why workers stop, then retry it.';

/**
 * Gives up (FAILED, with the reason) up to $3 deliveries left SENDING whose lease has expired when $1 leases
 * had already expired in a row, which the claim no longer takes; the round that was cut is recorded as
 * AMBIGUOUS like any interrupted round ($2: the failure without its message), and a DELIVERY_FAILED event
 * written. Returns one row per delivery.
 */
export const GIVE_UP_EXPIRED = `
  WITH given_up AS (
    SELECT id, status AS previous_status, rounds AS previous_rounds, sending_since AS previous_since,
           claimed_by AS previous_worker
    FROM deliveries
    WHERE status = 'SENDING' AND lease_expires_at <= now() AND lease_expiries >= $1
    ORDER BY lease_expires_at
    LIMIT $3
    FOR UPDATE SKIP LOCKED
  ), cut AS (${recordCutRound('given_up', '$2', '', 'DEAD_LETTER')}
  ), failed AS (
    UPDATE deliveries d SET
      status = 'FAILED', finished_at = now(), updated_at = now(), sending_since = NULL, claimed_by = NULL,
      lease_expires_at = NULL, next_attempt_at = NULL, failure_reason = '${GIVEN_UP_REASON}'
    FROM given_up g
    WHERE d.id = g.id
    RETURNING d.id, d.failure_reason
  ), logged AS (
    INSERT INTO events (type, delivery_id, payload)
    SELECT 'DELIVERY_FAILED', f.id, jsonb_build_object('category', 'AMBIGUOUS', 'reason', f.failure_reason)
    FROM failed f
  )
  SELECT id FROM failed`;

/**
 * Makes the rows that processes of the earlier release write during a rolling upgrade claimable: a waiting
 * delivery they left without a next attempt time (a retry asked for through them) is due now, and one their
 * worker marked SENDING gets the lease that worker would have held ($1 seconds from the start of its round),
 * so it is taken over if that worker dies. Rows written by this release always have both.
 */
export const ADOPT_EARLIER_ROWS = `
  WITH due AS (
    UPDATE deliveries SET next_attempt_at = now(), updated_at = now()
    WHERE status IN ('QUEUED', 'RETRYING') AND next_attempt_at IS NULL
    RETURNING id
  ), leased AS (
    UPDATE deliveries SET
      lease_expires_at = COALESCE(sending_since, now()) + $1::int * interval '1 second',
      claimed_by = COALESCE(claimed_by, sending_worker), updated_at = now()
    WHERE status = 'SENDING' AND lease_expires_at IS NULL
    RETURNING id
  )
  SELECT (SELECT count(*) FROM due)::int AS due, (SELECT count(*) FROM leased)::int AS leased`;
