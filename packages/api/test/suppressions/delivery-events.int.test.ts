import { GIVE_UP_EXPIRED } from '../../src/queue/lease-statements';
import { WRITE_OUTCOMES } from '../../src/queue/outcome-statements';
import { DurableSendingService } from '../../src/services/durable-sending.service';
import { dataOf } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { FAST_QUEUE_ENV, SEND_EMAIL } from '../durable/durable-support';

/**
 * The events of the sending statements, run as a worker runs them against a server without a worker of its
 * own (MODE=api), so the test decides which round holds each delivery.
 */
describe('events of the sending statements', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...FAST_QUEUE_ENV, MODE: 'api' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  async function queued(): Promise<string> {
    return dataOf(
      await server.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['ann@example.com'], subject: 'Hello', text: 'Hi' },
      }),
    ).sendEmail.id;
  }

  /** The delivery as a worker holds it: SENDING in round `round`, by `worker`. */
  async function claim(id: string, round: number, worker: string, leaseSeconds = 60): Promise<void> {
    await server.db.query(
      `UPDATE deliveries SET status = 'SENDING', rounds = $2, claimed_by = $3, sending_since = now(),
         lease_expires_at = now() + $4 * interval '1 second', next_attempt_at = NULL WHERE id = $1`,
      [id, round, worker, leaseSeconds],
    );
  }

  async function writeOutcome(id: string, round: number, worker: string, status: 'SENT' | 'FAILED') {
    const row = {
      id,
      round,
      status,
      next_attempt_at: null,
      delivered_by_provider_id: null,
      delivered_by_provider_name: status === 'SENT' ? 'sink' : null,
      provider_message_id: status === 'SENT' ? '<vendor-id@sink>' : null,
      rejected_recipients: [],
      failure: null,
      failure_reason: status === 'FAILED' ? 'No provider delivered the message.' : null,
      attempts: [],
    };
    const { rows } = await server.db.query<{ written: boolean }>(WRITE_OUTCOMES, [
      JSON.stringify([row]),
      worker,
    ]);
    return rows[0]?.written;
  }

  async function events(id: string): Promise<Array<{ type: string; payload: Record<string, unknown> }>> {
    const { rows } = await server.db.query<{ type: string; payload: Record<string, unknown> }>(
      `SELECT type, payload FROM events WHERE delivery_id = $1 ORDER BY seq`,
      [id],
    );
    return rows;
  }

  it('writes DELIVERY_SENT with the provider and its message id for the round that holds the delivery', async () => {
    const id = await queued();
    await claim(id, 1, 'worker-a');
    expect(await writeOutcome(id, 1, 'worker-a', 'SENT')).toBe(true);
    expect(await events(id)).toEqual([
      { type: 'DELIVERY_QUEUED', payload: { channel: 'DEFAULT' } },
      {
        type: 'DELIVERY_SENT',
        payload: { providerId: null, providerName: 'sink', providerMessageId: '<vendor-id@sink>' },
      },
    ]);
  });

  it('writes nothing for a round whose write the fence drops (the lease went to a newer round)', async () => {
    const id = await queued();
    await claim(id, 2, 'worker-b');
    expect(await writeOutcome(id, 1, 'worker-a', 'SENT')).toBe(false);
    expect(await writeOutcome(id, 2, 'worker-a', 'FAILED')).toBe(false);
    expect((await events(id)).map((event) => event.type)).toEqual(['DELIVERY_QUEUED']);
    expect(await writeOutcome(id, 2, 'worker-b', 'FAILED')).toBe(true);
    expect(await events(id)).toEqual([
      { type: 'DELIVERY_QUEUED', payload: { channel: 'DEFAULT' } },
      { type: 'DELIVERY_FAILED', payload: { category: null, reason: 'No provider delivered the message.' } },
    ]);
  });

  it('writes DELIVERY_FAILED when the lease sweep gives a delivery up, and nothing for its late outcome', async () => {
    const id = await queued();
    await claim(id, 4, 'worker-c', -1);
    await server.db.query(`UPDATE deliveries SET lease_expiries = 3 WHERE id = $1`, [id]);
    const { rows } = await server.db.query<{ id: string }>(GIVE_UP_EXPIRED, [3, JSON.stringify({}), 100]);
    expect(rows.map((row) => row.id)).toContain(id);
    expect(await writeOutcome(id, 4, 'worker-c', 'SENT')).toBe(false);
    const written = await events(id);
    expect(written.map((event) => event.type)).toEqual(['DELIVERY_QUEUED', 'DELIVERY_FAILED']);
    expect(written[1]?.payload).toEqual({
      category: 'AMBIGUOUS',
      reason: expect.stringContaining('stopped rather than retried forever'),
    });
  });

  it('purges SUPPRESSED deliveries past the retention period with their events, like SENT and FAILED ones', async () => {
    await server.db.query(
      `INSERT INTO suppressions (email, scope, source) VALUES ('gone@example.com', 'ALL', 'MANUAL')`,
    );
    const { sendEmail } = dataOf(
      await server.gql<{ sendEmail: { id: string; status: string } }>(SEND_EMAIL, {
        input: { to: ['gone@example.com'], subject: 'Hello', text: 'Hi' },
      }),
    );
    expect(sendEmail.status).toBe('SUPPRESSED');
    await server.db.query(`UPDATE deliveries SET created_at = now() - interval '400 days' WHERE id = $1`, [
      sendEmail.id,
    ]);
    await server.app.services.get(DurableSendingService).purge();
    const { rows } = await server.db.query(`SELECT 1 FROM deliveries WHERE id = $1`, [sendEmail.id]);
    expect(rows).toEqual([]);
    expect(await events(sendEmail.id)).toEqual([]);
  });

  it('writes DELIVERY_QUEUED again when a FAILED delivery is retried', async () => {
    const id = await queued();
    await claim(id, 1, 'worker-d');
    await writeOutcome(id, 1, 'worker-d', 'FAILED');
    dataOf(await server.gql(`mutation ($id: ID!) { retryDelivery(id: $id) { id } }`, { id }));
    expect((await events(id)).map((event) => event.type)).toEqual([
      'DELIVERY_QUEUED',
      'DELIVERY_FAILED',
      'DELIVERY_QUEUED',
    ]);
  });
});
