// The statements that record rounds' outcomes, fenced so that a round whose lease went to a newer round
// changes nothing, and the one with which a worker that could not reach the database explains its cut round.

/**
 * Records the outcomes of many rounds of the worker $2 (jsonb rows in $1) in one statement: the verdicts,
 * the attempts, and for a final verdict its event (DELIVERY_SENT or DELIVERY_FAILED). A RETRYING verdict's
 * next attempt time is when the delivery is due again.
 *
 * A round writes only while its delivery is still SENDING by this worker under the round number it was
 * claimed with. A delivery whose lease expired is taken over by a newer round, which counts the rounds on,
 * so the round number is what tells a late writer from the round that holds the delivery now: a late write
 * matches nothing, and
 * so writes no attempt and no event.
 *
 * One row per round: `written`, or what the delivery had become (its round and status as this statement
 * found them, and who cut the round when it was cut: NEXT_ROUND or DEAD_LETTER).
 */
export const WRITE_OUTCOMES = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      id uuid, round int, status text, next_attempt_at timestamptz,
      delivered_by_provider_id uuid, delivered_by_provider_name text, provider_message_id text,
      rejected_recipients jsonb, failure jsonb, failure_reason text, attempts jsonb)
  ), updated AS (
    UPDATE deliveries d SET
      status = i.status, updated_at = now(), sending_since = NULL, claimed_by = NULL, lease_expires_at = NULL,
      lease_expiries = 0, next_attempt_at = i.next_attempt_at,
      sent_at = CASE WHEN i.status = 'SENT' THEN now() ELSE d.sent_at END,
      finished_at = CASE WHEN i.status IN ('SENT', 'FAILED') THEN now() ELSE NULL END,
      delivered_by_provider_id = i.delivered_by_provider_id,
      delivered_by_provider_name = i.delivered_by_provider_name,
      provider_message_id = i.provider_message_id,
      rejected_recipients = COALESCE(i.rejected_recipients, '[]'::jsonb),
      failure = NULLIF(i.failure, 'null'::jsonb), failure_reason = i.failure_reason
    FROM input i
    WHERE d.id = i.id AND d.rounds = i.round AND d.status = 'SENDING' AND d.claimed_by = $2
    RETURNING d.id, d.rounds AS round
  ), attempts AS (
    INSERT INTO delivery_attempts (delivery_id, round, seq, provider_id, provider_name, started_at, duration_ms,
                                   outcome, category, skipped_reason, failure, provider_message_id, worker)
    SELECT i.id, i.round, a.seq, a.provider_id, a.provider_name, a.started_at, a.duration_ms, a.outcome,
           a.category, a.skipped_reason, NULLIF(a.failure, 'null'::jsonb), a.provider_message_id, a.worker
    FROM input i
    JOIN updated u ON u.id = i.id AND u.round = i.round
    CROSS JOIN LATERAL jsonb_to_recordset(i.attempts) AS a(seq int, provider_id uuid, provider_name text,
      started_at timestamptz, duration_ms int, outcome text, category text, skipped_reason text, failure jsonb,
      provider_message_id text, worker text)
    ON CONFLICT (delivery_id, round, seq) DO NOTHING
  ), logged AS (
    INSERT INTO events (type, delivery_id, provider_id, payload)
    SELECT CASE i.status WHEN 'SENT' THEN 'DELIVERY_SENT' ELSE 'DELIVERY_FAILED' END, i.id,
           CASE WHEN i.status = 'SENT' THEN i.delivered_by_provider_id END,
           CASE WHEN i.status = 'SENT'
             THEN jsonb_build_object('providerId', i.delivered_by_provider_id,
                                     'providerName', i.delivered_by_provider_name,
                                     'providerMessageId', i.provider_message_id)
             ELSE jsonb_build_object('category', NULLIF(i.failure, 'null'::jsonb) ->> 'category',
                                     'reason', i.failure_reason)
           END
    FROM input i
    JOIN updated u ON u.id = i.id AND u.round = i.round
    WHERE i.status IN ('SENT', 'FAILED')
  )
  SELECT id, round, true AS written, NULL::int AS current_round, NULL::text AS current_status,
         NULL::text AS cut_by
  FROM updated
  UNION ALL
  SELECT i.id, i.round, false, d.rounds, d.status, a.cut_by
  FROM input i
  LEFT JOIN deliveries d ON d.id = i.id
  LEFT JOIN delivery_attempts a ON a.delivery_id = i.id AND a.round = i.round AND a.seq = 1
  WHERE NOT EXISTS (SELECT 1 FROM updated u WHERE u.id = i.id AND u.round = i.round)`;

/**
 * Puts the true reason into the records of cut rounds (jsonb rows in $1: id, round, and the failure to record
 * for each way the round was cut) whose worker kept running but could not reach the database until its
 * round had been cut. Only the record of that round changes, and the failure reason of a delivery the
 * lease sweep gave up at that round; nothing of a newer round. A round that was not cut has no such
 * record, and nothing is written.
 */
export const EXPLAIN_CUT_ROUNDS = `
  WITH input AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
      id uuid, round int, next_round_failure jsonb, dead_letter_failure jsonb, given_up_reason text)
  ), explained AS (
    UPDATE delivery_attempts a SET
      failure = CASE a.cut_by WHEN 'NEXT_ROUND' THEN i.next_round_failure ELSE i.dead_letter_failure END
    FROM input i
    WHERE a.delivery_id = i.id AND a.round = i.round AND a.seq = 1 AND a.cut_by IS NOT NULL
    RETURNING a.delivery_id, a.round, a.cut_by
  )
  UPDATE deliveries d SET failure_reason = i.given_up_reason, updated_at = now()
  FROM input i
  JOIN explained e ON e.delivery_id = i.id AND e.round = i.round AND e.cut_by = 'DEAD_LETTER'
  WHERE d.id = i.id AND d.status = 'FAILED' AND d.rounds = i.round`;
