import { dataOf } from '../support/test-agent';
import { DELIVERY, eventually, FAST_QUEUE_ENV } from './durable-support';
import { startTwoWorkers, type TwoWorkers } from './two-workers';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const WRITE_FAILED = 'recording a round failed: the database is unreachable; retrying until it is back';
/**
 * How long the database stays away from the worker: longer than its outcome write budget (a quarter of the
 * lease), for which failures other than an unreachable database are retried, so that the worker must wait
 * it out.
 */
const OUTAGE_MS = Number(FAST_QUEUE_ENV.DELIVERY_JOB_TIMEOUT_SECONDS) * 250 + 1000;

interface DeliveryView {
  status: string;
  rounds: number;
  failureReason: string | null;
  attempts: Array<{
    round: number;
    providerName: string;
    outcome: string;
    failure: { category: string; possibleDuplicate: boolean; message: string; hint: string } | null;
  }>;
}

/** Each way a round can be cut, with the worker that could not write still running or stopped. */
const CASES = [
  {
    cutBy: 'the next round',
    env: {},
    status: 'SENT',
    dropped: 'a delivery round lost its lease to a newer round; its outcome was dropped',
    ranOn:
      /^The worker late-\d kept running but could not record the outcome of round 1 because the database was unreachable \(for \d+ s\); the message may already have been delivered, and it is sent again\.$/,
    stopped:
      /^The worker late-\d stopped during round 1 before recording its outcome; the message may already have been delivered, and it is sent again\.$/,
    reasonRanOn: null,
    reasonStopped: null,
  },
  {
    // No second round after a lease expired: the lease sweep gives the delivery up at once.
    cutBy: 'the lease sweep',
    env: { DELIVERY_CRASH_RETRY_LIMIT: '0' },
    status: 'FAILED',
    dropped:
      'a delivery was given up (its leases kept expiring) before the outcome of its round was written; the outcome was dropped',
    ranOn:
      /^The worker late-\d kept running but could not record the outcome of round 1 because the database was unreachable \(for \d+ s\); the message may already have been delivered\.$/,
    stopped:
      /^The worker late-\d stopped during round 1 before recording its outcome; the message may already have been delivered\.$/,
    reasonRanOn:
      /^The outcome of round 1 could not be recorded because the database was unreachable, and its lease had expired too many times/,
    reasonStopped: /^Its worker stopped \(or lost the database\) too many times/,
  },
] as const;

/**
 * A worker sends, then loses the database before it can record the outcome; the round's lease expires and
 * it is cut (by the next round, or by the lease sweep), which can only guess that the worker stopped. When
 * the worker in fact ran on, the log must end up saying that the outcome could not be recorded because the
 * database was unreachable; when it did stop, that it stopped.
 */
describe.each(CASES)('a round cut by $cutBy while its worker could not reach the database', (expected) => {
  let workers: TwoWorkers;

  beforeAll(async () => {
    workers = await startTwoWorkers(expected.env);
  });

  afterEach(async () => {
    await workers.stopWorkers();
  });

  afterAll(async () => {
    await workers?.close();
  });

  const view = async (id: string): Promise<DeliveryView> =>
    dataOf(await workers.server.gql<{ delivery: DeliveryView }>(DELIVERY, { id })).delivery;

  it.each([
    ['kept running', 1],
    ['stopped before the database was back', 2],
  ] as const)(
    'the worker %s',
    async (fate, n) => {
      const { proxy } = workers;
      const name = `late-${n}`;
      let sent = false;
      const late = await workers.startWorker(name, {
        proxied: true,
        afterSend: () => {
          proxy.cut();
          sent = true;
        },
      });
      const id = await workers.send(`unrecorded ${n}`);
      await eventually('the round to have sent', async () => (sent ? true : undefined));
      await eventually('its outcome write to fail', async () =>
        late.lines(WRITE_FAILED).length > 0 ? true : undefined,
      );
      const outageEnds = Date.now() + OUTAGE_MS;
      if (fate === 'stopped before the database was back') {
        await late.stop(500);
        expect(
          late.lines(
            'could not record a delivery round; its lease will expire and the next round records it as cut',
          ),
        ).toHaveLength(1);
      }

      await workers.expireLease(id);
      await workers.startWorker(`newer-${n}`, { proxied: false });
      const cut = await eventually(`the round to be cut by ${expected.cutBy}`, async () => {
        const delivery = await view(id);
        return delivery.status === expected.status ? delivery : undefined;
      });
      // What the round that cut it could know.
      expect(cut.attempts[0]?.failure?.message).toMatch(expected.stopped);

      await sleep(outageEnds - Date.now());
      proxy.open();
      let shown: DeliveryView;
      if (fate === 'kept running') {
        shown = await eventually('the cut round to say why', async () => {
          const delivery = await view(id);
          return expected.ranOn.test(delivery.attempts[0]?.failure?.message ?? '') ? delivery : undefined;
        });
        expect(shown.failureReason ?? null).toEqual(
          expected.reasonRanOn === null ? null : expect.stringMatching(expected.reasonRanOn),
        );
        expect(shown.attempts[0]?.failure?.hint).toMatch(/why the workers lose the database/);
        // One line for the outage, one for the outcome dropped, however many tries it took.
        expect(late.lines(WRITE_FAILED)).toHaveLength(1);
        expect(late.lines(expected.dropped)).toEqual([
          expect.objectContaining({ level: 40, deliveryId: id, round: 1, unreachableMs: expect.any(Number) }),
        ]);
      } else {
        // Longer than the worker's longest wait between two tries of its write.
        await sleep(5000);
        shown = await view(id);
        expect(shown.attempts[0]?.failure?.message).toMatch(expected.stopped);
        expect(shown.failureReason ?? null).toEqual(
          expected.reasonStopped === null ? null : expect.stringMatching(expected.reasonStopped),
        );
      }
      // Either way the cut round stays an AMBIGUOUS record of round 1, and what came after it is untouched.
      expect(shown.attempts[0]).toMatchObject({
        round: 1,
        providerName: '(interrupted round)',
        outcome: 'FAILED',
        failure: { category: 'AMBIGUOUS', possibleDuplicate: true },
      });
      expect({ ...shown, attempts: shown.attempts.slice(1) }).toEqual({
        ...cut,
        failureReason: shown.failureReason,
        attempts: cut.attempts.slice(1),
      });
    },
    60_000,
  );
});
