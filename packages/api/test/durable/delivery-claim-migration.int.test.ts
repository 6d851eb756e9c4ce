import type { DataSource } from 'typeorm';
import { DeliveryClaim1763701400000 } from '../../src/migrations/1763701400000-delivery-claim';
import { RoundClaimer } from '../../src/queue/round-claimer';
import { dataSourceExecutor } from '../../src/queue/sql-executor';
import { dataSourceWith, migrationsBefore } from '../support/migrated-data-source';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

const BEFORE = migrationsBefore(DeliveryClaim1763701400000);

interface Row {
  subject: string;
  status: string;
  due: boolean | null;
  next_attempt_at: Date | null;
  claimed_by: string | null;
  lease_expired: boolean | null;
  lease_expiries: number;
}

/**
 * Deliveries waiting in the former queue when the claim on the deliveries table arrives: every waiting one
 * is claimable from its own columns, nothing finished changes.
 */
describe('the delivery claim migration', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const retryAt = new Date(Date.now() + 3_600_000);

  beforeAll(async () => {
    database = await createTestDatabase();
    const before = await dataSourceWith(database.url, BEFORE).initialize();
    await before.runMigrations();
    // As the earlier release left them: QUEUED and a retry asked for without a time, a RETRYING one with
    // the time of its next round, one SENDING by a worker that stopped, and a finished one.
    await before.query(
      `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, job_id, rounds,
                               next_attempt_at, sending_since, sending_worker, finished_at)
       VALUES ('QUEUED', 'DEFAULT', ARRAY['a@example.com'], 'queued', 'x', 1, gen_random_uuid(), 0, NULL, NULL, NULL, NULL),
              ('RETRYING', 'DEFAULT', ARRAY['b@example.com'], 'retrying', 'x', 1, gen_random_uuid(), 1, $1, NULL, NULL, NULL),
              ('SENDING', 'DEFAULT', ARRAY['c@example.com'], 'sending', 'x', 1, gen_random_uuid(), 2, NULL,
               now() - interval '10 seconds', 'host:42', NULL),
              ('SENT', 'DEFAULT', ARRAY['d@example.com'], 'sent', 'x', 1, NULL, 1, NULL, NULL, NULL, now())`,
      [retryAt],
    );
    await before.destroy();
    dataSource = await dataSourceWith(database.url, BEFORE + 1).initialize();
    await dataSource.runMigrations();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await database?.drop();
  });

  const rows = () =>
    dataSource.query<Row[]>(
      `SELECT subject, status, next_attempt_at <= now() AS due, next_attempt_at, claimed_by,
              lease_expires_at <= now() AS lease_expired, lease_expiries
       FROM deliveries ORDER BY subject`,
    );

  it('makes every waiting delivery due from its own columns, and a SENDING one claimable at once', async () => {
    expect(await rows()).toEqual([
      expect.objectContaining({ subject: 'queued', status: 'QUEUED', due: true, claimed_by: null }),
      {
        subject: 'retrying',
        status: 'RETRYING',
        due: false,
        next_attempt_at: retryAt,
        claimed_by: null,
        lease_expired: null,
        lease_expiries: 0,
      },
      {
        subject: 'sending',
        status: 'SENDING',
        due: null,
        next_attempt_at: null,
        claimed_by: 'host:42',
        lease_expired: true,
        lease_expiries: 0,
      },
      expect.objectContaining({ subject: 'sent', status: 'SENT', due: null, lease_expired: null }),
    ]);
  });

  it('lets a worker claim them: the stopped worker’s round recorded as cut, the retry left for its time', async () => {
    // A delivery accepted by a process of the earlier release during the upgrade is due as well.
    await dataSource.query(
      `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, job_id)
       VALUES ('QUEUED', 'DEFAULT', ARRAY['e@example.com'], 'accepted meanwhile', 'x', 1, gen_random_uuid())`,
    );
    const claimer = new RoundClaimer(
      dataSourceExecutor(dataSource),
      { domainFor: () => Promise.resolve('migrated.test') },
      { workerId: 'new-worker', leaseSeconds: 30, crashRetryLimit: 20 },
    );
    const claimed = await claimer.claim(10);
    expect(claimed.map((delivery) => [delivery.message.subject, delivery.round]).sort()).toEqual([
      ['accepted meanwhile', 1],
      ['queued', 1],
      ['sending', 3],
    ]);
    expect(
      await dataSource.query(
        `SELECT d.subject, d.job_id, a.round, a.worker, a.cut_by
         FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id`,
      ),
    ).toEqual([{ subject: 'sending', job_id: null, round: 2, worker: 'host:42', cut_by: 'NEXT_ROUND' }]);
  });

  it('is undone by taking the columns and indexes away', async () => {
    await dataSource.undoLastMigration({ transaction: 'each' });
    expect(
      await dataSource.query(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'deliveries'
           AND column_name IN ('claimed_by', 'lease_expires_at', 'lease_expiries')`,
      ),
    ).toEqual([]);
    expect(
      await dataSource.query(
        `SELECT indexname FROM pg_indexes WHERE indexname IN ('deliveries_due', 'deliveries_lease')`,
      ),
    ).toEqual([]);
  });
});
