import { SMTP_REPLIES, type SmtpReply } from '@mail-providers/mailer-core/test-support';
import { DELIVERY_QUEUE, QUEUE_SCHEMA } from '../../src/queue/delivery-queue';
import { eventually } from './durable-support';
import { startTwoWorkers, type TwoWorkers } from './two-workers';

const LOST_JOB = 'a delivery round lost its job to a newer round; its outcome was dropped';

/** A temporary refusal: the late round's verdict would be RETRYING, with a new job. */
const TEMPORARY: SmtpReply = SMTP_REPLIES.mailFromLocalError;

/**
 * A round whose job expired is handed to a newer round while its own worker is still about to write. That
 * late write must match nothing: the delivery keeps the newer round's outcome and attempts, and the newer
 * round's job is neither removed nor replaced.
 */
describe("a round's outcome written after its job went to a newer round", () => {
  let workers: TwoWorkers;

  beforeAll(async () => {
    workers = await startTwoWorkers();
  });

  let releaseNewer: () => void = () => undefined;

  afterEach(async () => {
    releaseNewer();
    await workers.stopWorkers();
  });

  afterAll(async () => {
    await workers?.close();
  });

  const delivery = async (id: string) => {
    const { rows } = await workers.server.db.query<{
      status: string;
      rounds: number;
      job_id: string;
      sending_worker: string | null;
      failure_reason: string | null;
      delivered_by_provider_name: string | null;
    }>(
      `SELECT status, rounds, job_id, sending_worker, failure_reason, delivered_by_provider_name
       FROM deliveries WHERE id = $1`,
      [id],
    );
    const [row] = rows;
    if (!row) throw new Error(`No delivery ${id}.`);
    return row;
  };

  const attempts = async (id: string) =>
    (
      await workers.server.db.query<{
        round: number;
        provider_name: string;
        outcome: string;
        worker: string;
      }>(
        `SELECT round, provider_name, outcome, category, worker, cut_by FROM delivery_attempts
         WHERE delivery_id = $1 ORDER BY round, seq`,
        [id],
      )
    ).rows;

  const jobsOf = async (id: string) =>
    (
      await workers.server.db.query<{ id: string; state: string }>(
        `SELECT id, state FROM ${QUEUE_SCHEMA}.job WHERE name = $1 AND data->>'deliveryId' = $2`,
        [DELIVERY_QUEUE, id],
      )
    ).rows;

  it.each([
    ['retryable', 'still sending', TEMPORARY],
    ['retryable', 'already recorded as SENT', TEMPORARY],
    ['permanent', 'still sending', SMTP_REPLIES.userUnknown],
    ['permanent', 'already recorded as SENT', SMTP_REPLIES.userUnknown],
  ] as const)(
    'a late %s failure changes nothing of a newer round %s',
    async (_failure, newerRound, reply) => {
      const { smtp, proxy } = workers;
      const suffix = `${reply.code}-${newerRound.length}`;
      let lateSent = false;
      // The late round sends (and is refused), then its outcome write is held on the way to the database.
      const late = await workers.startWorker(`late-${suffix}`, {
        proxied: true,
        afterSend: () => {
          proxy.hold();
          lateSent = true;
        },
      });
      const newerHeld = new Promise<void>((resolve) => (releaseNewer = resolve));
      smtp.fail({ rcpt: reply });
      const id = await workers.send(`late ${suffix}`);
      await eventually('the late round to have sent', async () => (lateSent ? true : undefined));
      smtp.reset();
      const before = smtp.messages.length;

      // Its job expires as if its worker had died; the newer round takes it.
      const { job_id: jobId } = await delivery(id);
      await workers.expireJob(id);
      await workers.startWorker(`newer-${suffix}`, {
        proxied: false,
        beforeSend: newerRound === 'still sending' ? () => newerHeld : undefined,
      });
      await eventually('the newer round to claim the delivery', async () => {
        const row = await delivery(id);
        return row.rounds === 2 && row.sending_worker === `newer-${suffix}` ? true : undefined;
      });
      if (newerRound === 'already recorded as SENT') {
        await eventually('the newer round to be recorded', async () =>
          (await delivery(id)).status === 'SENT' ? true : undefined,
        );
      }

      // The late write reaches the database now.
      proxy.open();
      await eventually('the late write to be dropped', async () =>
        late.lines(LOST_JOB).length > 0 ? true : undefined,
      );
      expect(late.lines(LOST_JOB)).toEqual([
        expect.objectContaining({ level: 40, deliveryId: id, round: 1, deliveryRound: 2 }),
      ]);

      if (newerRound === 'still sending') {
        // Nothing moved: the newer round still holds the delivery and its job.
        expect(await delivery(id)).toMatchObject({ status: 'SENDING', rounds: 2, job_id: jobId });
        expect(await jobsOf(id)).toEqual([{ id: jobId, state: 'active' }]);
        releaseNewer();
        await eventually('the newer round to be recorded', async () =>
          (await delivery(id)).status === 'SENT' ? true : undefined,
        );
      }

      expect(await delivery(id)).toMatchObject({
        status: 'SENT',
        rounds: 2,
        sending_worker: null,
        failure_reason: null,
        delivered_by_provider_name: 'sink',
      });
      expect(await attempts(id)).toEqual([
        {
          round: 1,
          provider_name: '(interrupted round)',
          outcome: 'FAILED',
          category: 'AMBIGUOUS',
          worker: `late-${suffix}`,
          cut_by: 'NEXT_ROUND',
        },
        {
          round: 2,
          provider_name: 'sink',
          outcome: 'SENT',
          category: null,
          worker: `newer-${suffix}`,
          cut_by: null,
        },
      ]);
      // The newer round removed its job when it recorded SENT, and nothing enqueued another.
      expect(await jobsOf(id)).toEqual([]);
      expect(smtp.messages.length - before).toBe(1);
    },
    60_000,
  );
});
