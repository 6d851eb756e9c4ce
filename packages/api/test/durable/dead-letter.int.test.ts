import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { startApiProcess, type ApiProcess } from './api-process';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV } from './durable-support';

/** A delivery whose worker keeps dying is given up by the lease sweep, not retried forever. */
describe('a delivery whose worker keeps dying', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  let sender: TestAgent;
  const workers: ApiProcess[] = [];
  // No second chance after a crash, so one SIGKILL is "too many times".
  const env = { ...FAST_QUEUE_ENV, DELIVERY_CRASH_RETRY_LIMIT: '0', DELIVERY_JOB_TIMEOUT_SECONDS: '4' };

  async function startWorker(): Promise<ApiProcess> {
    const worker = await startApiProcess({
      ...env,
      MODE: 'worker',
      DATABASE_URL: server.databaseUrl,
      MAILER_SECRET_KEY: server.config.secretKey ?? '',
      ADMIN_EMAIL: server.adminEmail,
      ADMIN_PASSWORD: server.adminPassword,
    });
    workers.push(worker);
    return worker;
  }

  beforeAll(async () => {
    server = await startTestServer({ env: { ...env, MODE: 'api' } });
    smtp = await startSmtpTestServer();
    await addSmtpProvider(server, smtp, { name: 'slow' });
    sender = await server.tokenAgent(['SEND']);
  });

  afterAll(async () => {
    for (const worker of workers) worker.kill('SIGKILL');
    await Promise.all(workers.map((worker) => worker.exited));
    await server?.close();
    await smtp?.close();
  });

  it('ends FAILED with the reason and the cut round in the log, and can be retried', async () => {
    smtp.fail({ greetingDelayMs: 3000 });
    const victim = await startWorker();
    const { sendEmails } = dataOf(
      await sender.gql<{ sendEmails: Array<{ id: string }> }>(
        `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id } }`,
        { inputs: [1, 2].map((i) => ({ to: [`dead${i}@example.com`], subject: `Dead ${i}`, text: 'x' })) },
      ),
    );
    const ids = sendEmails.map((delivery) => delivery.id);
    await eventually('the rounds to be in flight', async () => {
      const { rows } = await server.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'SENDING'`,
        [ids],
      );
      return rows[0]?.n === 2 ? true : undefined;
    });
    victim.kill('SIGKILL');
    await victim.exited;
    smtp.reset();
    await startWorker();

    await eventually(
      'the deliveries to be given up',
      async () => {
        const { rows } = await server.db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM deliveries WHERE id = ANY($1::uuid[]) AND status = 'FAILED'`,
          [ids],
        );
        return rows[0]?.n === 2 ? true : undefined;
      },
      30_000,
    );
    const { rows } = await server.db.query<{ failure_reason: string; category: string; duplicate: boolean }>(
      `SELECT d.failure_reason, a.category, (a.failure->>'possibleDuplicate')::boolean AS duplicate
       FROM deliveries d JOIN delivery_attempts a ON a.delivery_id = d.id WHERE d.id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.failure_reason).toMatch(/stopped .* too many times/);
      expect(row).toMatchObject({ category: 'AMBIGUOUS', duplicate: true });
    }

    const retried = dataOf(
      await sender.gql<{ retryDelivery: { status: string } }>(
        `mutation ($id: ID!) { retryDelivery(id: $id) { status } }`,
        {
          id: ids[0],
        },
      ),
    );
    expect(retried.retryDelivery.status).toBe('QUEUED');
    await eventually('the retried delivery to be sent', async () => {
      const { rows: sent } = await server.db.query(
        `SELECT 1 FROM deliveries WHERE id = $1 AND status = 'SENT'`,
        [ids[0]],
      );
      return sent.length === 1 ? true : undefined;
    });
  }, 90_000);
});
