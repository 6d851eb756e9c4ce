import { Client, type Notification } from 'pg';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../src/database/datasource';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { eventually } from '../durable/durable-support';

const CHANNEL = 'mail_webhook_queued';

/**
 * The fan-out trigger wakes the webhook senders (a notification) only when no message is already waiting
 * for them: a due, unclaimed message of an enabled endpoint. The rule as a table, on a real PostgreSQL.
 */
describe('the fan-out trigger’s notification', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let writer: Client;
  let listener: Client;
  const heard: string[] = [];
  let enabledId: string;
  let disabledId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await createDataSource({ url: database.url, poolSize: 1 }).initialize();
    await dataSource.runMigrations();
    writer = new Client({ connectionString: database.url });
    listener = new Client({ connectionString: database.url });
    await Promise.all([writer.connect(), listener.connect()]);
    listener.on('notification', (message: Notification) => heard.push(message.payload ?? ''));
    await listener.query(`LISTEN ${CHANNEL}`);
    const endpoint = async (enabled: boolean) =>
      (
        await writer.query<{ id: string }>(
          `INSERT INTO webhook_endpoints (url, event_types, enabled, secret_ciphertext, secret_key_id)
           VALUES ('https://hooks.example.com/' || gen_random_uuid(), ARRAY['PROVIDER_RECOVERED'], $1, 'x', 'k')
           RETURNING id`,
          [enabled],
        )
      ).rows[0]!.id;
    enabledId = await endpoint(true);
    disabledId = await endpoint(false);
  });

  afterAll(async () => {
    await Promise.all([writer?.end(), listener?.end()]);
    await dataSource?.destroy();
    await database?.drop();
  });

  /** Messages waiting before the event is written: `count` of them for one endpoint, in one state. */
  interface Waiting {
    endpoint: 'enabled' | 'disabled';
    count: number;
    status?: 'PENDING' | 'DELIVERED' | 'GIVEN_UP';
    claimed?: boolean;
    dueInSeconds?: number;
  }

  it.each<[string, boolean, Waiting[]]>([
    ['nothing waits', true, []],
    ['a due, unclaimed message of the enabled endpoint waits', false, [{ endpoint: 'enabled', count: 1 }]],
    [
      'only claimed messages wait (a sender is at work)',
      true,
      [{ endpoint: 'enabled', count: 3, claimed: true }],
    ],
    ['only retries due later wait', true, [{ endpoint: 'enabled', count: 2, dueInSeconds: 60 }]],
    ['only settled messages are left', true, [{ endpoint: 'enabled', count: 2, status: 'DELIVERED' }]],
    ['thousands of messages of a disabled endpoint wait', true, [{ endpoint: 'disabled', count: 5000 }]],
    [
      'a disabled endpoint’s messages and one due for the enabled endpoint wait',
      false,
      [
        { endpoint: 'disabled', count: 5000 },
        { endpoint: 'enabled', count: 1 },
      ],
    ],
  ])('%s: notifies: %s', async (_case, notifies, waiting) => {
    await writer.query(`DELETE FROM webhook_messages`);
    for (const group of waiting) {
      await writer.query(
        `INSERT INTO webhook_messages (event_seq, endpoint_id, status, claimed_by, lease_expires_at, next_attempt_at)
         SELECT n, $1, $2, $3, CASE WHEN $3::text IS NULL THEN NULL ELSE now() + interval '1 minute' END,
           now() + $4 * interval '1 second'
         FROM generate_series(1, $5) AS n`,
        [
          group.endpoint === 'enabled' ? enabledId : disabledId,
          group.status ?? 'PENDING',
          group.claimed ? 'webhooks-test' : null,
          group.dueInSeconds ?? -1,
          group.count,
        ],
      );
    }
    heard.length = 0;
    await writer.query(
      `INSERT INTO events (type, provider_id, payload) VALUES ('PROVIDER_RECOVERED', gen_random_uuid(), '{}')`,
    );
    // One session's notifications arrive in order: once the marker is heard, the trigger's would have been.
    await writer.query(`SELECT pg_notify($1, 'marker')`, [CHANNEL]);
    await eventually('the marker', async () => (heard.includes('marker') ? true : undefined));
    expect(heard).toEqual(notifies ? ['', 'marker'] : ['marker']);
  });
});
