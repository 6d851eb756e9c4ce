import { appendEvents, eventsOfDelivery } from '../../src/events/event-log';
import { dataSourceExecutor, inTransaction } from '../../src/queue/sql-executor';
import { addSuppressions, defaultScope } from '../../src/suppressions/suppression-store';
import { startTestServer, type TestServer } from '../support/test-server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: 'warn' } });
});

afterAll(async () => {
  await server?.close();
});

async function newDelivery(): Promise<string> {
  const { rows } = await server.db.query<{ id: string }>(
    `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, window_started_at)
     VALUES ('SENT', 'DEFAULT', ARRAY['ann@example.com'], 'hello', 'x', 1, now()) RETURNING id`,
  );
  return rows[0]!.id;
}

describe('the event log', () => {
  it('keeps a delivery’s events in the order they were written, and drops them with the delivery', async () => {
    const deliveryId = await newDelivery();
    const sql = dataSourceExecutor(server.app.services.dataSource);
    await appendEvents(sql, [
      { type: 'DELIVERY_QUEUED', deliveryId, payload: { channel: 'DEFAULT' } },
      {
        type: 'DELIVERY_SENT',
        deliveryId,
        payload: { providerId: null, providerName: 'Relay', providerMessageId: 'abc' },
      },
    ]);
    await appendEvents(sql, [
      {
        type: 'DELIVERY_BOUNCED',
        deliveryId,
        recipient: 'ann@example.com',
        occurredAt: new Date('2026-01-01T00:00:00Z'),
        payload: { vendor: 'sendgrid', providerId: 'p', bounceType: 'HARD', reason: '550 no such user' },
      },
    ]);
    const events = await eventsOfDelivery(sql, deliveryId);
    expect(events.map((event) => event.type)).toEqual([
      'DELIVERY_QUEUED',
      'DELIVERY_SENT',
      'DELIVERY_BOUNCED',
    ]);
    expect(events[2]).toMatchObject({
      recipient: 'ann@example.com',
      occurredAt: new Date('2026-01-01T00:00:00Z'),
      payload: { bounceType: 'HARD' },
    });
    await server.db.query(`DELETE FROM deliveries WHERE id = $1`, [deliveryId]);
    expect(await eventsOfDelivery(sql, deliveryId)).toEqual([]);
  });

  it('writes nothing when the transaction that makes the change rolls back', async () => {
    const deliveryId = await newDelivery();
    await expect(
      inTransaction(server.app.services.dataSource, async (sql) => {
        await appendEvents(sql, [{ type: 'DELIVERY_QUEUED', deliveryId, payload: { channel: 'DEFAULT' } }]);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await eventsOfDelivery(dataSourceExecutor(server.app.services.dataSource), deliveryId)).toEqual(
      [],
    );
  });

  it('refuses a delivery event without its delivery and a provider event without its provider', async () => {
    const sql = dataSourceExecutor(server.app.services.dataSource);
    await expect(
      appendEvents(sql, [{ type: 'DELIVERY_QUEUED', payload: { channel: 'DEFAULT' } }]),
    ).rejects.toThrow(/check constraint/);
    await expect(
      appendEvents(sql, [{ type: 'PROVIDER_RECOVERED', payload: { providerName: 'x' } }]),
    ).rejects.toThrow(/check constraint/);
  });
});

describe('the suppression store', () => {
  it.each([
    ['HARD_BOUNCE', 'CRM', 'ALL'],
    ['COMPLAINT', 'CRM', 'CRM'],
    ['COMPLAINT', 'DEFAULT', 'DEFAULT'],
    ['MANUAL', 'CRM', 'ALL'],
    ['IMPORT', 'DEFAULT', 'ALL'],
  ] as const)('scopes a %s on %s mail to %s by default', (source, channel, scope) => {
    expect(defaultScope(source, channel)).toBe(scope);
  });

  it('stores addresses in lower case and keeps the first entry per address and scope', async () => {
    const sql = dataSourceExecutor(server.app.services.dataSource);
    const entry = { email: ' Bob@Example.com ', scope: 'ALL', source: 'HARD_BOUNCE', reason: '550' } as const;
    expect(await addSuppressions(sql, [entry])).toBe(1);
    expect(await addSuppressions(sql, [{ ...entry, reason: 'again' }])).toBe(0);
    expect(await addSuppressions(sql, [{ ...entry, scope: 'CRM', source: 'COMPLAINT' }])).toBe(1);
    const { rows } = await server.db.query(`SELECT email, scope, reason FROM suppressions ORDER BY scope`);
    expect(rows).toEqual([
      { email: 'bob@example.com', scope: 'ALL', reason: '550' },
      { email: 'bob@example.com', scope: 'CRM', reason: '550' },
    ]);
  });
});
