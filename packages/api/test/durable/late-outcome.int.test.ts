import { SMTP_REPLIES, type SmtpReply } from '@mail-providers/mailer-core/test-support';
import { eventually } from './durable-support';
import { startTwoWorkers, type TwoWorkers } from './two-workers';

const LOST_LEASE = 'a delivery round lost its lease to a newer round; its outcome was dropped';

/** A temporary refusal: the late round's verdict would be RETRYING, with a next attempt time. */
const TEMPORARY: SmtpReply = SMTP_REPLIES.mailFromLocalError;

/**
 * A round whose lease expired is taken over by a newer round while its own worker is still about to write.
 * That late write must match nothing: the delivery keeps the newer round's outcome and attempts, and the
 * newer round's claim (its worker, its lease) is neither released nor replaced.
 */
describe("a round's outcome written after its lease went to a newer round", () => {
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
      claimed_by: string | null;
      lease_expires_at: Date | null;
      next_attempt_at: Date | null;
      failure_reason: string | null;
      delivered_by_provider_name: string | null;
    }>(
      `SELECT status, rounds, claimed_by, lease_expires_at, next_attempt_at, failure_reason,
              delivered_by_provider_name
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

      // Its lease expires as if its worker had died; the newer round takes it.
      expect(await delivery(id)).toMatchObject({
        status: 'SENDING',
        rounds: 1,
        claimed_by: `late-${suffix}`,
      });
      await workers.expireLease(id);
      await workers.startWorker(`newer-${suffix}`, {
        proxied: false,
        beforeSend: newerRound === 'still sending' ? () => newerHeld : undefined,
      });
      const claimed = await eventually('the newer round to claim the delivery', async () => {
        const row = await delivery(id);
        return row.rounds === 2 && row.claimed_by === `newer-${suffix}` ? row : undefined;
      });
      expect(claimed.lease_expires_at?.getTime()).toBeGreaterThan(Date.now());
      if (newerRound === 'already recorded as SENT') {
        await eventually('the newer round to be recorded', async () =>
          (await delivery(id)).status === 'SENT' ? true : undefined,
        );
      }

      // The late write reaches the database now.
      proxy.open();
      await eventually('the late write to be dropped', async () =>
        late.lines(LOST_LEASE).length > 0 ? true : undefined,
      );
      expect(late.lines(LOST_LEASE)).toEqual([
        expect.objectContaining({ level: 40, deliveryId: id, round: 1, deliveryRound: 2 }),
      ]);

      if (newerRound === 'still sending') {
        // Nothing moved: the newer round still holds the delivery, with the lease of its claim.
        expect(await delivery(id)).toEqual(claimed);
        releaseNewer();
        await eventually('the newer round to be recorded', async () =>
          (await delivery(id)).status === 'SENT' ? true : undefined,
        );
      }

      // SENT by the newer round: no retry planned (the late RETRYING verdict would have set one), no lease.
      expect(await delivery(id)).toEqual({
        status: 'SENT',
        rounds: 2,
        claimed_by: null,
        lease_expires_at: null,
        next_attempt_at: null,
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
      expect(smtp.messages.length - before).toBe(1);
    },
    60_000,
  );
});
