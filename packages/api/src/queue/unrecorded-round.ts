import type { Failure } from '@mail-providers/mailer-core';
import { ambiguousFailure } from './round-verdict';

/**
 * What the log says of a round whose worker kept running but could not record its outcome, because the
 * database was unreachable until the round had been cut: the records of the cut round and, when the
 * lease sweep gave the delivery up, its failure reason. Written over the records that said the worker
 * had stopped, which was all the round that cut it could know.
 */
export interface UnrecordedRoundAccount {
  /** The cut round's record when the next round took over (it sends the message again). */
  nextRound: Failure;
  /** The cut round's record when the lease sweep gave the delivery up. */
  deadLetter: Failure;
  /** The delivery's failure reason when the lease sweep gave it up. */
  givenUpReason: string;
}

const HINT: Failure['hint'] = {
  en: 'The message may have reached a provider before its outcome could be recorded, so the recipient may get it twice. Nothing to fix unless it happens often: then find out why the workers lose the database.',
  tr: 'İleti, sonucu kaydedilemeden önce bir sağlayıcıya ulaşmış olabilir; alıcı onu iki kez alabilir. Sık olmadıkça yapılacak bir şey yok; sık oluyorsa çalışanların veritabanına neden ulaşamadığını bulun.',
};

export function unrecordedRoundAccount(
  worker: string,
  round: number,
  unreachableMs: number,
): UnrecordedRoundAccount {
  const seconds = Math.max(1, Math.round(unreachableMs / 1000));
  const cause = `The worker ${worker} kept running but could not record the outcome of round ${round} because the database was unreachable (for ${seconds} s)`;
  const record = (message: string): Failure => ({ ...ambiguousFailure(message), hint: HINT });
  return {
    nextRound: record(`${cause}; the message may already have been delivered, and it is sent again.`),
    deadLetter: record(`${cause}; the message may already have been delivered.`),
    givenUpReason: `The outcome of round ${round} could not be recorded because the database was unreachable, and its lease had expired too many times, so it was stopped rather than retried forever. Make sure the workers can reach the database, then retry it.`,
  };
}
