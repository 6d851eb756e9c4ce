import { Client } from 'pg';
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { startApiProcess, type ApiProcess } from '../durable/api-process';
import { eventually, FAST_QUEUE_ENV } from '../durable/durable-support';
import { dataOf, TestAgent } from '../support/test-agent';
import { createTestDatabase, type TestDatabase } from '../support/test-database';
import { testSecret } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const ADMIN_EMAIL = 'admin@example.test';
const EVENTS = 6;

/**
 * The built server (node dist/main.js) killed with SIGKILL while webhook messages are in flight and
 * waiting, then started again: every event reaches the receiver at least once, under its own webhook-id.
 */
describe('webhooks across a SIGKILL', () => {
  const adminPassword = testSecret('admin');
  let database: TestDatabase;
  let receiver: WebhookReceiver;
  let db: Client;
  const processes: ApiProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    receiver = await startWebhookReceiver();
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    for (const api of processes.splice(0)) await api.stop();
    await db?.end();
    await receiver?.close();
    await database?.drop();
  });

  const env = {
    ...FAST_QUEUE_ENV,
    MAILER_SECRET_KEY: randomBytes(32).toString('base64'),
    MODE: 'all',
    ADMIN_EMAIL,
    ADMIN_PASSWORD: adminPassword,
    WEBHOOK_TIMEOUT_MS: '1000',
    WEBHOOK_LEASE_SECONDS: '3',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_CONCURRENCY: '2',
  };

  async function start(): Promise<{ api: ApiProcess; admin: TestAgent }> {
    const api = await startApiProcess({ ...env, DATABASE_URL: database.url });
    processes.push(api);
    const admin = new TestAgent(api.url);
    dataOf(await admin.login(ADMIN_EMAIL, adminPassword));
    return { api, admin };
  }

  it('delivers every event after a restart, at least once, with stable ids', async () => {
    const first = await start();
    const created = dataOf(
      await first.admin.gql<{ createWebhookEndpoint: { signingSecret: string } }>(
        `mutation ($input: WebhookEndpointInput!) { createWebhookEndpoint(input: $input) { signingSecret } }`,
        { input: { url: receiver.url, eventTypes: ['PROVIDER_PAUSED'] } },
      ),
    ).createWebhookEndpoint;
    // The receiver takes the first requests and never answers them: they are in flight when the server dies.
    receiver.fallback = 'hang';
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO events (type, provider_id, payload)
       SELECT 'PROVIDER_PAUSED', gen_random_uuid(), jsonb_build_object('providerName', 'p' || n, 'category', null,
         'consecutiveFailures', n)
       FROM generate_series(1, ${EVENTS}) AS n RETURNING id`,
    );
    const eventIds = rows.map((row) => row.id);
    await eventually('requests to be in flight', async () =>
      receiver.requests.length >= 2 ? true : undefined,
    );

    first.api.kill('SIGKILL');
    await first.api.exited;
    const { rows: waiting } = await db.query<{ count: string }>(
      `SELECT count(*)::text AS count FROM webhook_messages WHERE status = 'PENDING'`,
    );
    expect(Number(waiting[0]?.count)).toBe(EVENTS);

    receiver.fallback = 200;
    await start();
    await eventually(
      'every event to be delivered',
      async () => {
        const delivered = new Set(receiver.delivered().map((r) => r.headers['webhook-id']));
        return eventIds.every((id) => delivered.has(id)) ? true : undefined;
      },
      60_000,
      200,
    );
    // Every request, before and after the kill, carried an event's own id and a valid signature.
    const verifier = new Webhook(created.signingSecret);
    for (const request of receiver.requests) {
      expect(eventIds).toContain(request.headers['webhook-id']);
      const body = verifier.verify(request.body, request.headers) as { data: { id: string } };
      expect(body.data.id).toBe(request.headers['webhook-id']);
    }
    await eventually('every message to be settled', async () => {
      const { rows: left } = await db.query(`SELECT 1 FROM webhook_messages WHERE status <> 'DELIVERED'`);
      return left.length === 0 ? true : undefined;
    });
  });
});
