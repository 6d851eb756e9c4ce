import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { appendEvents } from '../../src/events/event-log';
import type { NewEvent } from '../../src/events/event-types';
import { dataSourceExecutor } from '../../src/queue/sql-executor';
import { eventually, FAST_QUEUE_ENV } from '../durable/durable-support';
import { keyIdOf } from '../../src/secrets/secret-box';
import { WebhookService } from '../../src/webhooks/webhook.service';
import { giveUpExpired, purgeSettled } from '../../src/webhooks/webhook-store';
import { dataOf, errorCode, type GqlResponse } from '../support/test-agent';
import { createTestDatabase } from '../support/test-database';
import { leakedIn, tablesHolding } from '../support/secret-scan';
import { startTestServer, type TestServer } from '../support/test-server';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const WEBHOOK_ENV = {
  ...FAST_QUEUE_ENV,
  WEBHOOK_RETRY_BASE_MS: '200',
  WEBHOOK_TIMEOUT_MS: '2000',
  WEBHOOK_LEASE_SECONDS: '5',
  // 2.7 seconds: long enough for a retry at 200 ms to end a run of failures, short enough to watch.
  WEBHOOK_DISABLE_AFTER_HOURS: '0.00075',
};

const ENDPOINT_FIELDS = `id url description eventTypes format enabled language createdAt failingSince disabledReason
  lastDelivery { id status attempt }`;
const CREATE = `mutation ($input: WebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) { signingSecret endpoint { ${ENDPOINT_FIELDS} } }
}`;
const UPDATE = `mutation ($id: ID!, $input: WebhookEndpointUpdateInput!) {
  updateWebhookEndpoint(id: $id, input: $input) { ${ENDPOINT_FIELDS} }
}`;
const LIST = `{ webhookEndpoints { ${ENDPOINT_FIELDS} } }`;
const ATTEMPT_FIELDS = `id endpointId eventId eventType attempt status attemptedAt durationMs responseStatus
  responseBody error nextAttemptAt`;
const DELIVERIES = `query ($id: ID!, $first: Int, $after: String) {
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { ${ATTEMPT_FIELDS} }
  }
}`;
const TEST = `mutation ($id: ID!) { sendTestWebhook(id: $id) { ${ATTEMPT_FIELDS} } }`;

interface Endpoint {
  id: string;
  url: string;
  description: string | null;
  eventTypes: string[];
  format: string;
  enabled: boolean;
  language: string;
  failingSince: string | null;
  disabledReason: string | null;
  lastDelivery: { id: string; status: string; attempt: number } | null;
}
interface Attempt {
  id: string;
  eventId: string | null;
  eventType: string;
  attempt: number;
  status: string;
  durationMs: number;
  responseStatus: number | null;
  responseBody: string | null;
  error: string | null;
  nextAttemptAt: string | null;
}

let server: TestServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  server = await startTestServer({ env: WEBHOOK_ENV });
});

afterAll(async () => {
  await server?.close();
});

beforeEach(async () => {
  receiver = await startWebhookReceiver();
});

afterEach(async () => {
  await receiver.close();
  await server.db.query(`DELETE FROM webhook_endpoints`);
});

async function createEndpoint(
  input: Record<string, unknown>,
): Promise<{ endpoint: Endpoint; signingSecret: string }> {
  const response = await server.gql<{ createWebhookEndpoint: { endpoint: Endpoint; signingSecret: string } }>(
    CREATE,
    { input: { url: receiver.url, ...input } },
  );
  return dataOf(response).createWebhookEndpoint;
}

async function newDelivery(): Promise<string> {
  const { rows } = await server.db.query<{ id: string }>(
    `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, window_started_at)
     VALUES ('SENT', 'DEFAULT', ARRAY['ann@example.com'], 'hello', 'x', 1, now()) RETURNING id`,
  );
  return rows[0]!.id;
}

async function append(...events: NewEvent[]): Promise<string[]> {
  const stored = await appendEvents(dataSourceExecutor(server.app.services.dataSource), events);
  return stored.map((event) => event.id);
}

async function attempts(endpointId: string): Promise<Attempt[]> {
  const response = await server.gql<{ webhookDeliveries: { nodes: Attempt[] } }>(DELIVERIES, {
    id: endpointId,
    first: 50,
  });
  return dataOf(response).webhookDeliveries.nodes;
}

function fieldErrors(response: GqlResponse<unknown>): Array<{ field: string; message: string }> {
  const fields = response.body.errors?.[0]?.extensions?.fields;
  return Array.isArray(fields) ? (fields as Array<{ field: string; message: string }>) : [];
}

describe('outbound webhooks', () => {
  it('signs each event the way Standard Webhooks verifies it, with the event id as webhook-id', async () => {
    const { endpoint, signingSecret } = await createEndpoint({
      eventTypes: ['DELIVERY_SENT'],
      description: 'CRM',
    });
    expect(signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(endpoint).toMatchObject({ format: 'STANDARD', enabled: true, language: 'en', lastDelivery: null });
    const deliveryId = await newDelivery();
    const [queued, sent] = await append(
      { type: 'DELIVERY_QUEUED', deliveryId, payload: { channel: 'DEFAULT' } },
      {
        type: 'DELIVERY_SENT',
        deliveryId,
        recipient: 'ann@example.com',
        payload: { providerId: null, providerName: 'Relay', providerMessageId: '<m1@relay>' },
      },
    );
    const [request] = await eventually('the event to arrive', async () =>
      receiver.delivered().length > 0 ? receiver.delivered() : undefined,
    );
    // An independent implementation accepts the signature, and refuses it with another secret.
    const verified = new Webhook(signingSecret).verify(request!.body, request!.headers);
    expect(() =>
      new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(request!.body, request!.headers),
    ).toThrow();
    expect(request!.headers['webhook-id']).toBe(sent);
    expect(Math.abs(Number(request!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(10);
    expect(verified).toMatchObject({
      type: 'DELIVERY_SENT',
      data: {
        id: sent,
        type: 'DELIVERY_SENT',
        deliveryId,
        recipient: 'ann@example.com',
        providerName: 'Relay',
        providerMessageId: '<m1@relay>',
      },
    });
    expect(typeof (verified as { timestamp: unknown }).timestamp).toBe('string');
    // Only subscribed types go out: the QUEUED event made no message.
    const { rows } = await server.db.query(`SELECT 1 FROM webhook_messages WHERE event_id = $1`, [queued]);
    expect(rows).toHaveLength(0);
    await eventually('the attempt to be listed', async () => {
      const [last] = await attempts(endpoint.id);
      return last?.status === 'SUCCEEDED' ? last : undefined;
    });
  });

  it('retries while the receiver answers 500, then delivers, and records every attempt', async () => {
    const { endpoint, signingSecret } = await createEndpoint({ eventTypes: ['PROVIDER_PAUSED'] });
    receiver.answers.push(500, 500);
    const [eventId] = await append({
      type: 'PROVIDER_PAUSED',
      providerId: '00000000-0000-4000-8000-000000000001',
      payload: { providerName: 'Relay', category: 'CONNECTION', consecutiveFailures: 5 },
    });
    await eventually('the event to be delivered', async () =>
      receiver.delivered().length === 1 ? true : undefined,
    );
    expect(receiver.requests.map((r) => r.answeredWith)).toEqual([500, 500, 200]);
    expect(new Set(receiver.requests.map((r) => r.headers['webhook-id']))).toEqual(new Set([eventId]));
    for (const request of receiver.requests) new Webhook(signingSecret).verify(request.body, request.headers);
    const list = await eventually('three attempts', async () => {
      const found = await attempts(endpoint.id);
      return found.length === 3 ? found : undefined;
    });
    // Newest first.
    expect(list.map((a) => [a.attempt, a.status, a.responseStatus])).toEqual([
      [3, 'SUCCEEDED', 200],
      [2, 'FAILED', 500],
      [1, 'FAILED', 500],
    ]);
    for (const attempt of list) {
      expect(attempt).toMatchObject({ eventId, eventType: 'PROVIDER_PAUSED' });
      expect(attempt.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(list[0]).toMatchObject({ responseBody: 'ok', error: null, nextAttemptAt: null });
    expect(list[1]!.responseBody).toHaveLength(200);
    expect(list[1]!.error).toMatch(/HTTP 500/);
    expect(list[1]!.nextAttemptAt).not.toBeNull();
    const [healthy] = dataOf(await server.gql<{ webhookEndpoints: Endpoint[] }>(LIST)).webhookEndpoints;
    expect(healthy).toMatchObject({
      failingSince: null,
      enabled: true,
      lastDelivery: { attempt: 3, status: 'SUCCEEDED' },
    });
  });

  it('sends one delivery’s events in order to an endpoint, even when the first needs retries', async () => {
    await createEndpoint({ eventTypes: ['DELIVERY_QUEUED', 'DELIVERY_SENT', 'DELIVERY_DELIVERED'] });
    receiver.answers.push(500, 503);
    const deliveryId = await newDelivery();
    // Three statements, as three writers would make them.
    const ids = [
      ...(await append({ type: 'DELIVERY_QUEUED', deliveryId, payload: { channel: 'DEFAULT' } })),
      ...(await append({
        type: 'DELIVERY_SENT',
        deliveryId,
        payload: { providerId: null, providerName: 'Relay', providerMessageId: null },
      })),
      ...(await append({
        type: 'DELIVERY_DELIVERED',
        deliveryId,
        recipient: 'ann@example.com',
        payload: { vendor: 'sendgrid', providerId: '00000000-0000-4000-8000-000000000002' },
      })),
    ];
    await eventually('three events to be delivered', async () =>
      receiver.delivered().length === 3 ? true : undefined,
    );
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([
      ids[0],
      ids[0],
      ids[0],
      ids[1],
      ids[2],
    ]);
  });

  it('disables an endpoint that keeps failing past the configured time, and enabling it clears that', async () => {
    receiver.fallback = 500;
    const { endpoint } = await createEndpoint({ eventTypes: ['PROVIDER_RECOVERED'], description: 'Pager' });
    await append({
      type: 'PROVIDER_RECOVERED',
      providerId: '00000000-0000-4000-8000-000000000003',
      payload: { providerName: 'Relay' },
    });
    const disabled = await eventually(
      'the endpoint to be disabled',
      async () => {
        const list = dataOf(await server.gql<{ webhookEndpoints: Endpoint[] }>(LIST)).webhookEndpoints;
        const found = list.find((e) => e.id === endpoint.id);
        return found && !found.enabled ? found : undefined;
      },
      30_000,
      200,
    );
    expect(disabled.failingSince).not.toBeNull();
    expect(disabled.disabledReason).toMatch(/failing for more than \d+ seconds without a success/);
    expect(server.logs.join('\n')).toContain('a webhook endpoint failing for too long was disabled');
    const seen = receiver.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(receiver.requests.length).toBe(seen);

    receiver.fallback = 200;
    const enabled = dataOf(
      await server.gql<{ updateWebhookEndpoint: Endpoint }>(UPDATE, {
        id: endpoint.id,
        input: { enabled: true },
      }),
    ).updateWebhookEndpoint;
    expect(enabled).toMatchObject({ enabled: true, failingSince: null, disabledReason: null });
    await eventually('the waiting event to be delivered', async () =>
      receiver.delivered().length === 1 ? true : undefined,
    );
  });

  it('fans out one statement’s events to every enabled endpoint subscribed to their types', async () => {
    const a = (await createEndpoint({ eventTypes: ['FALLBACK_USED'] })).endpoint;
    const b = (await createEndpoint({ eventTypes: ['FALLBACK_USED', 'PROVIDER_PAUSED'] })).endpoint;
    const off = (await createEndpoint({ eventTypes: ['FALLBACK_USED'], enabled: false })).endpoint;
    const providerId = '00000000-0000-4000-8000-000000000004';
    const [fallback, paused] = await append(
      {
        type: 'FALLBACK_USED',
        providerId,
        payload: { providerName: 'A', deliveredByName: 'B', category: null },
      },
      {
        type: 'PROVIDER_PAUSED',
        providerId,
        payload: { providerName: 'A', category: null, consecutiveFailures: 3 },
      },
    );
    const { rows } = await server.db.query<{ endpoint_id: string; event_id: string }>(
      `SELECT endpoint_id, event_id FROM webhook_messages WHERE event_id = ANY($1::uuid[])`,
      [[fallback, paused]],
    );
    const pairs = rows.map((row) => `${row.endpoint_id}:${row.event_id}`).sort();
    expect(pairs).toEqual([`${a.id}:${fallback}`, `${b.id}:${fallback}`, `${b.id}:${paused}`].sort());
    expect(pairs.some((pair) => pair.startsWith(off.id))).toBe(false);
  });

  it('gives up a message past its retry window that no worker will send, and later purges it', async () => {
    const { endpoint } = await createEndpoint({ eventTypes: ['PROVIDER_PAUSED'], enabled: false });
    const [eventId] = await append({
      type: 'PROVIDER_PAUSED',
      providerId: '00000000-0000-4000-8000-000000000005',
      payload: { providerName: 'A', category: null, consecutiveFailures: 3 },
    });
    // Queued a day ago, while the endpoint was still enabled.
    await server.db.query(
      `INSERT INTO webhook_messages (event_id, event_seq, endpoint_id, created_at)
       SELECT id, seq, $2, now() - interval '25 hours' FROM events WHERE id = $1`,
      [eventId, endpoint.id],
    );
    const sql = dataSourceExecutor(server.app.services.dataSource);
    expect(await giveUpExpired(sql, 24 * 3_600_000)).toBe(1);
    const { rows } = await server.db.query<{ status: string; given_up_at: Date | null }>(
      `SELECT status, given_up_at FROM webhook_messages WHERE event_id = $1`,
      [eventId],
    );
    expect(rows).toEqual([{ status: 'GIVEN_UP', given_up_at: expect.any(Date) }]);
    expect(await purgeSettled(sql, new Date(Date.now() - 48 * 3_600_000))).toBe(0);
    expect(await purgeSettled(sql, new Date(Date.now() - 3_600_000))).toBe(1);
  });

  it('sends a test event now and returns the attempt', async () => {
    const { endpoint, signingSecret } = await createEndpoint({
      eventTypes: ['DELIVERY_BOUNCED'],
      enabled: false,
    });
    const attempt = dataOf(
      await server.gql<{ sendTestWebhook: Attempt }>(TEST, { id: endpoint.id }),
    ).sendTestWebhook;
    expect(attempt).toMatchObject({
      eventId: null,
      eventType: 'WEBHOOK_TEST',
      attempt: 1,
      status: 'SUCCEEDED',
      responseStatus: 200,
      responseBody: 'ok',
      nextAttemptAt: null,
    });
    const [request] = receiver.requests;
    const body = new Webhook(signingSecret).verify(request!.body, request!.headers);
    expect(body).toMatchObject({ type: 'WEBHOOK_TEST', data: { type: 'WEBHOOK_TEST' } });

    receiver.fallback = 404;
    const failed = dataOf(
      await server.gql<{ sendTestWebhook: Attempt }>(TEST, { id: endpoint.id }),
    ).sendTestWebhook;
    expect(failed).toMatchObject({
      status: 'FAILED',
      responseStatus: 404,
      error: expect.stringMatching(/HTTP 404/),
    });
    expect(receiver.requests[1]!.headers['webhook-id']).not.toBe(request!.headers['webhook-id']);
  });

  it('posts a SLACK endpoint a JSON message with text, in its language', async () => {
    const { endpoint } = await createEndpoint({
      eventTypes: ['PROVIDER_PAUSED'],
      format: 'SLACK',
      language: 'tr',
    });
    expect(endpoint).toMatchObject({ format: 'SLACK', language: 'tr' });
    const attempt = dataOf(
      await server.gql<{ sendTestWebhook: Attempt }>(TEST, { id: endpoint.id }),
    ).sendTestWebhook;
    expect(attempt.status).toBe('SUCCEEDED');
    const [request] = receiver.requests;
    expect(request!.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request!.body)).toEqual({ text: expect.stringMatching(/\S/) });
  });

  it('pages attempts newest first', async () => {
    const { endpoint } = await createEndpoint({ eventTypes: ['DELIVERY_SENT'] });
    for (let i = 0; i < 3; i++) await server.gql(TEST, { id: endpoint.id });
    const first = dataOf(
      await server.gql<{
        webhookDeliveries: {
          totalCount: number;
          pageInfo: { hasNextPage: boolean; endCursor: string };
          nodes: Attempt[];
        };
      }>(DELIVERIES, { id: endpoint.id, first: 2 }),
    ).webhookDeliveries;
    expect(first.totalCount).toBe(3);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(
      await server.gql<{ webhookDeliveries: { pageInfo: { hasNextPage: boolean }; nodes: Attempt[] } }>(
        DELIVERIES,
        {
          id: endpoint.id,
          first: 2,
          after: first.pageInfo.endCursor,
        },
      ),
    ).webhookDeliveries;
    expect(second.nodes).toHaveLength(1);
    expect(second.pageInfo.hasNextPage).toBe(false);
    const ids = [...first.nodes, ...second.nodes].map((node) => node.id);
    expect(new Set(ids).size).toBe(3);
    const bad = await server.gql(DELIVERIES, { id: endpoint.id, first: 2, after: 'nonsense' });
    expect(fieldErrors(bad).map((f) => f.field)).toEqual(['after']);
  });

  it('refuses bad input naming every field', async () => {
    const response = await server.gql(CREATE, {
      input: { url: 'mailto:ops@example.com,nobody', eventTypes: [], format: 'EMAIL', language: 'de' },
    });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(fieldErrors(response).map((f) => f.field)).toEqual([
      'input.url',
      'input.eventTypes',
      'input.language',
    ]);
    const { rows } = await server.db.query(`SELECT 1 FROM webhook_endpoints`);
    expect(rows).toHaveLength(0);
  });

  it('refuses addresses the outbound policy forbids, when saved and when sending', async () => {
    const metadata = await server.gql(CREATE, {
      input: { url: 'http://169.254.169.254/latest/meta-data', eventTypes: ['DELIVERY_SENT'] },
    });
    expect(errorCode(metadata)).toBe('BAD_USER_INPUT');
    expect(fieldErrors(metadata)).toEqual([
      { field: 'input.url', message: expect.stringMatching(/169\.254\.169\.254/) },
    ]);
    // Loopback is listed in ALLOWED_PROVIDER_HOSTS for tests, so the receiver is allowed (above); an
    // endpoint changed behind the API's back is still refused at connect time.
    const { endpoint } = await createEndpoint({ eventTypes: ['DELIVERY_SENT'] });
    await server.db.query(`UPDATE webhook_endpoints SET url = 'http://169.254.169.254/x' WHERE id = $1`, [
      endpoint.id,
    ]);
    const attempt = dataOf(
      await server.gql<{ sendTestWebhook: Attempt }>(TEST, { id: endpoint.id }),
    ).sendTestWebhook;
    expect(attempt).toMatchObject({ status: 'FAILED', responseStatus: null });
    expect(attempt.error).toMatch(/169\.254\.169\.254/);
    const update = await server.gql(UPDATE, { id: endpoint.id, input: { url: 'http://[fe80::1]/x' } });
    expect(fieldErrors(update).map((f) => f.field)).toEqual(['input.url']);
  });

  it('lets READ list endpoints but not change them', async () => {
    const { endpoint } = await createEndpoint({ eventTypes: ['DELIVERY_SENT'] });
    for (const caller of [await server.tokenAgent(['READ']), await server.userAgent('VIEWER')]) {
      const list = dataOf(await server.gql<{ webhookEndpoints: Endpoint[] }>(LIST, {}, { as: caller }));
      expect(list.webhookEndpoints.map((e) => e.id)).toEqual([endpoint.id]);
      dataOf(await server.gql(DELIVERIES, { id: endpoint.id }, { as: caller }));
      for (const [query, variables] of [
        [CREATE, { input: { url: receiver.url, eventTypes: ['DELIVERY_SENT'] } }],
        [UPDATE, { id: endpoint.id, input: { enabled: false } }],
        [TEST, { id: endpoint.id }],
        [`mutation ($id: ID!) { rotateWebhookSecret(id: $id) { signingSecret } }`, { id: endpoint.id }],
        [`mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id }],
      ] as const) {
        expect(errorCode(await server.gql(query, variables, { as: caller }))).toBe('FORBIDDEN');
      }
    }
    expect(receiver.requests).toHaveLength(0);
  });

  it('shows the signing secret only when it is made, and keeps it out of logs, audit and storage', async () => {
    const { endpoint, signingSecret } = await createEndpoint({ eventTypes: ['DELIVERY_SENT'] });
    const rotated = dataOf(
      await server.gql<{ rotateWebhookSecret: { signingSecret: string; endpoint: { id: string } } }>(
        `mutation ($id: ID!) { rotateWebhookSecret(id: $id) { signingSecret endpoint { id } } }`,
        { id: endpoint.id },
      ),
    ).rotateWebhookSecret;
    expect(rotated.signingSecret).not.toBe(signingSecret);
    await server.gql(TEST, { id: endpoint.id });
    // Only the new secret signs.
    const request = receiver.requests[0]!;
    expect(() => new Webhook(signingSecret).verify(request.body, request.headers)).toThrow();
    new Webhook(rotated.signingSecret).verify(request.body, request.headers);
    await server.gql(UPDATE, { id: endpoint.id, input: { description: 'renamed' } });
    await server.gql(`mutation ($id: ID!) { deleteWebhookEndpoint(id: $id) }`, { id: endpoint.id });

    const keys = [signingSecret, rotated.signingSecret].map((secret) => secret.slice('whsec_'.length));
    const { rows: audit } = await server.db.query<{ action: string; fields: string[] }>(
      `SELECT action, fields FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [endpoint.id],
    );
    expect(audit.map((row) => row.action)).toEqual([
      'webhook.create',
      'webhook.rotateSecret',
      'webhook.update',
      'webhook.delete',
    ]);
    const everything = [JSON.stringify(audit), server.logs.join('\n')].join('\n');
    for (const key of keys) expect(everything).not.toContain(key);
  });

  it('stores the signing secret sealed: no table holds it in any form', async () => {
    const { signingSecret } = await createEndpoint({ eventTypes: ['DELIVERY_SENT'] });
    const key = signingSecret.slice('whsec_'.length);
    expect(await tablesHolding(server, [signingSecret, key])).toEqual([]);
    expect(leakedIn(server.logs.join('\n'), [signingSecret, key])).toEqual([]);
  });
});

describe('across restarts', () => {
  it('re-encrypts signing secrets when MAILER_SECRET_KEY is rotated, and keeps signing with them', async () => {
    const database = await createTestDatabase();
    const oldKey = randomBytes(32);
    try {
      const before = await startTestServer({
        databaseUrl: database.url,
        env: { ...WEBHOOK_ENV, MAILER_SECRET_KEY: oldKey.toString('base64') },
      });
      const { endpoint, signingSecret } = dataOf(
        await before.gql<{ createWebhookEndpoint: { endpoint: Endpoint; signingSecret: string } }>(CREATE, {
          input: { url: receiver.url, eventTypes: ['DELIVERY_SENT'] },
        }),
      ).createWebhookEndpoint;
      await before.close();
      const newKey = randomBytes(32);
      const after = await startTestServer({
        databaseUrl: database.url,
        env: {
          ...WEBHOOK_ENV,
          MAILER_SECRET_KEY: newKey.toString('base64'),
          MAILER_SECRET_KEY_PREVIOUS: oldKey.toString('base64'),
        },
      });
      try {
        const { rows } = await after.db.query<{ secret_key_id: string }>(
          `SELECT secret_key_id FROM webhook_endpoints WHERE id = $1`,
          [endpoint.id],
        );
        expect(rows[0]?.secret_key_id).toBe(keyIdOf(newKey));
        // The first admin of this database is the first server's; the service is called directly.
        const attempt = await after.app.services.get(WebhookService).sendTest(endpoint.id);
        expect(attempt.status).toBe('SUCCEEDED');
        const request = receiver.requests[0]!;
        new Webhook(signingSecret).verify(request.body, request.headers);
      } finally {
        await after.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('adds ALERT_WEBHOOK_URL as one endpoint for the provider events, however often the server starts', async () => {
    const alertUrl = 'http://127.0.0.1:9/alerts';
    const env = {
      ...WEBHOOK_ENV,
      ALERT_WEBHOOK_URL: alertUrl,
      MAILER_SECRET_KEY: randomBytes(32).toString('base64'),
    };
    const first = await startTestServer({ env });
    try {
      const again = await startTestServer({
        databaseUrl: first.databaseUrl,
        env: { ...env, MODE: 'api' },
      });
      await again.close();
      const list = dataOf(await first.gql<{ webhookEndpoints: Endpoint[] }>(LIST)).webhookEndpoints;
      expect(list).toEqual([
        expect.objectContaining({
          url: alertUrl,
          description: 'ALERT_WEBHOOK_URL',
          format: 'STANDARD',
          enabled: true,
          eventTypes: ['PROVIDER_PAUSED', 'PROVIDER_RECOVERED', 'FALLBACK_USED', 'PROVIDER_OAUTH_REVOKED'],
        }),
      ]);
    } finally {
      await first.close();
    }
  });
});

describe('wake-ups', () => {
  it('sends a queued event at once, woken by the notification of the transaction that wrote it', async () => {
    const slow = await startTestServer({ env: { ...WEBHOOK_ENV, QUEUE_POLL_INTERVAL_MS: '60000' } });
    try {
      dataOf(await slow.gql(CREATE, { input: { url: receiver.url, eventTypes: ['PROVIDER_RECOVERED'] } }));
      // Let the dispatcher's first look at start go by: from now on only a notification wakes it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const written = Date.now();
      await slow.db.query(
        `INSERT INTO events (type, provider_id, payload)
         VALUES ('PROVIDER_RECOVERED', gen_random_uuid(), '{"providerName": "Relay"}')`,
      );
      await eventually('the event to arrive', async () =>
        receiver.delivered().length === 1 ? true : undefined,
      );
      expect(Date.now() - written).toBeLessThan(10_000);
    } finally {
      await slow.close();
    }
  });
});
