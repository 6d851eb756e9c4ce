import { DurableSendingService } from '../../src/services/durable-sending.service';
import { dataOf, errorCode, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';

const SETTINGS = `{ settings { deliveryRetentionDays defaultDeliveryRetentionDays } }`;
const SET_RETENTION = `mutation ($days: Int!) {
  setDeliveryRetention(days: $days) { deliveryRetentionDays defaultDeliveryRetentionDays }
}`;

interface Settings {
  deliveryRetentionDays: number;
  defaultDeliveryRetentionDays: number;
}

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { DELIVERY_RETENTION_DAYS: '45', LOG_LEVEL: 'warn' } });
});

afterAll(async () => {
  await server?.close();
});

async function settings(as?: TestAgent): Promise<Settings> {
  return dataOf(await server.gql<{ settings: Settings }>(SETTINGS, {}, as ? { as } : {})).settings;
}

async function setRetention(days: number): Promise<Settings> {
  return dataOf(await server.gql<{ setDeliveryRetention: Settings }>(SET_RETENTION, { days }))
    .setDeliveryRetention;
}

/** Finished deliveries accepted this many days ago, one per age; returns their subjects left after a purge. */
async function purgeAmong(ages: number[]): Promise<number[]> {
  await server.db.query(`DELETE FROM deliveries`);
  for (const age of ages) {
    await server.db.query(
      `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, created_at, window_started_at)
       VALUES ('SENT', 'DEFAULT', ARRAY['old@example.com'], $1, 'x', 1, now() - $2 * interval '1 day', now())`,
      [`age ${age}`, age],
    );
  }
  await server.app.services.get(DurableSendingService).purge();
  const { rows } = await server.db.query<{ subject: string }>(`SELECT subject FROM deliveries`);
  return rows.map((row) => Number(row.subject.replace('age ', ''))).sort((a, b) => a - b);
}

describe('the delivery log’s retention', () => {
  it('is the environment’s default until an administrator sets it', async () => {
    expect(await settings()).toEqual({ deliveryRetentionDays: 45, defaultDeliveryRetentionDays: 45 });
    expect(await purgeAmong([3, 40, 50])).toEqual([3, 40]);
  });

  it('is read from the database by every purge, so a new value applies at the next one', async () => {
    expect(await setRetention(10)).toEqual({ deliveryRetentionDays: 10, defaultDeliveryRetentionDays: 45 });
    expect(await settings()).toEqual({ deliveryRetentionDays: 10, defaultDeliveryRetentionDays: 45 });
    expect(await purgeAmong([3, 11, 40])).toEqual([3]);
    await setRetention(2);
    expect(await purgeAmong([1, 3])).toEqual([1]);
  });

  it('records who changed it, naming the setting and never its value', async () => {
    await setRetention(30);
    const { rows } = await server.db.query<{ action: string; entity_type: string; fields: string[] }>(
      `SELECT action, entity_type, fields FROM audit_log WHERE action = 'settings.update' ORDER BY id DESC LIMIT 1`,
    );
    expect(rows).toEqual([
      { action: 'settings.update', entity_type: 'settings', fields: ['deliveryRetentionDays'] },
    ]);
  });

  it.each([
    { days: 0, accepted: false },
    { days: -5, accepted: false },
    { days: 3651, accepted: false },
    { days: 100_000, accepted: false },
    { days: 1, accepted: true },
    { days: 3650, accepted: true },
  ])('$days days: accepted = $accepted', async ({ days, accepted }) => {
    await setRetention(20);
    const response = await server.gql<{ setDeliveryRetention: Settings }>(SET_RETENTION, { days });
    if (accepted) {
      expect(dataOf(response).setDeliveryRetention.deliveryRetentionDays).toBe(days);
    } else {
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.body.errors?.[0]?.extensions?.fields).toEqual([
        { field: 'days', message: 'Keep the log for 1 to 3650 days (whole days).' },
      ]);
      expect((await settings()).deliveryRetentionDays).toBe(20);
    }
  });

  it.each<{ who: string; agent: () => Promise<TestAgent>; read: boolean; change: boolean }>([
    { who: 'an ADMIN session', agent: () => server.admin(), read: true, change: true },
    { who: 'a VIEWER session', agent: () => server.userAgent('VIEWER'), read: true, change: false },
    { who: 'a MANAGE token', agent: () => server.tokenAgent(['MANAGE', 'READ']), read: true, change: true },
    { who: 'a READ token', agent: () => server.tokenAgent(['READ']), read: true, change: false },
    { who: 'a SEND token', agent: () => server.tokenAgent(['SEND']), read: false, change: false },
  ])('$who: reads = $read, changes = $change', async ({ agent, read, change }) => {
    const as = await agent();
    const reading = await server.gql(SETTINGS, {}, { as });
    if (read) expect(dataOf(reading)).toHaveProperty('settings.defaultDeliveryRetentionDays', 45);
    else expect(errorCode(reading)).toBe('FORBIDDEN');
    const changing = await server.gql(SET_RETENTION, { days: 9 }, { as });
    if (change) expect(dataOf(changing)).toHaveProperty('setDeliveryRetention.deliveryRetentionDays', 9);
    else expect(errorCode(changing)).toBe('FORBIDDEN');
  });
});

describe('the purge of event records', () => {
  it('deletes provider events and vendor reports older than the retention, and replay records older than a day', async () => {
    const created = dataOf(
      await server.gql<{ createProvider: { id: string } }>(
        `mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }`,
        {
          input: {
            type: 'SMTP',
            name: 'purge-records',
            host: '127.0.0.1',
            port: 2525,
            username: '',
            password: '',
            encryption: 'NONE',
            fromEmail: 'noreply@sender.test',
            fromName: 'Sender',
            serviceType: 'PRIMARY',
            status: 'INACTIVE',
          },
        },
      ),
    ).createProvider;
    await setRetention(10);
    for (const [label, age] of [
      ['old', 11],
      ['new', 9],
    ] as const) {
      await server.db.query(
        `INSERT INTO events (type, occurred_at, provider_id, payload)
         VALUES ('PROVIDER_RECOVERED', now() - $2 * interval '1 day', $1, $3)`,
        [created.id, age, JSON.stringify({ providerName: label })],
      );
      await server.db.query(
        `INSERT INTO vendor_events (vendor, provider_id, vendor_event_id, received_at, matched, vendor_event_type)
         VALUES ('postmark', $1, $2, now() - $3 * interval '1 day', false, 'Delivery')`,
        [created.id, label, age],
      );
    }
    await server.db.query(
      `INSERT INTO vendor_webhook_requests (provider_id, replay_key, received_at)
       VALUES ($1, 'stale', now() - interval '25 hours'), ($1, 'fresh', now() - interval '1 hour')`,
      [created.id],
    );
    await server.app.services.get(DurableSendingService).purge();
    const left = async (sql: string) =>
      (await server.db.query<{ label: string }>(sql, [created.id])).rows.map((row) => row.label);
    expect(await left(`SELECT payload->>'providerName' AS label FROM events WHERE provider_id = $1`)).toEqual(
      ['new'],
    );
    expect(await left(`SELECT vendor_event_id AS label FROM vendor_events WHERE provider_id = $1`)).toEqual([
      'new',
    ]);
    expect(
      await left(`SELECT replay_key AS label FROM vendor_webhook_requests WHERE provider_id = $1`),
    ).toEqual(['fresh']);
  });
});
