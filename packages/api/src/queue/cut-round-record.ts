/** Who recorded a cut round: the claim of the next round, or the lease sweep that gave the delivery up. */
export type CutBy = 'NEXT_ROUND' | 'DEAD_LETTER';

/**
 * The INSERT that records a round left SENDING by a worker whose lease expired as an AMBIGUOUS attempt,
 * marked with who cut it, as SQL for a CTE: `cte` holds the locked deliveries (id, previous_status,
 * previous_rounds, previous_since, previous_worker), `failure` the placeholder of the failure without its
 * message (the statement writes the message, naming worker and round), `consequence` what happens to the
 * message next.
 *
 * A worker that in fact kept running, but could not reach the database until its round was cut, later
 * replaces this message with the true reason (EXPLAIN_CUT_ROUNDS in outcome-statements.ts).
 */
export function recordCutRound(cte: string, failure: string, consequence: string, cutBy: CutBy): string {
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
