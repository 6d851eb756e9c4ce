import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { Client } from 'pg';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

describe('delivery worker: sending slots', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  let sender: TestAgent;
  let blocker: Client;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...FAST_QUEUE_ENV, DELIVERY_WORKER_CONCURRENCY: '1' } });
    smtp = await startSmtpTestServer();
    await addSmtpProvider(server, smtp, { name: 'sink' });
    sender = await server.tokenAgent(['SEND']);
    blocker = new Client({ connectionString: server.databaseUrl });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker?.end();
    await server?.close();
    await smtp?.close();
  });

  const send = async (subject: string): Promise<string> =>
    dataOf(
      await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['ann@example.com'], subject, text: 'Hello' },
      }),
    ).sendEmail.id;

  const statusOf = async (id: string): Promise<string | undefined> =>
    (await server.db.query<{ status: string }>('SELECT status FROM deliveries WHERE id = $1', [id])).rows[0]
      ?.status;

  const sent = (id: string) =>
    eventually(`delivery ${id} SENT`, async () => ((await statusOf(id)) === 'SENT' ? true : undefined));

  it('sends the next message while the last one waits for its outcome to be written', async () => {
    // The first session's slow greeting holds the first round in its send until its row is locked.
    smtp.fail({ greetingDelayMs: 1000 });
    const first = await send('first');
    await eventually('the first round to be claimed', async () =>
      (await statusOf(first)) === 'SENDING' ? true : undefined,
    );
    await blocker.query('BEGIN');
    await blocker.query('SELECT id FROM deliveries WHERE id = $1 FOR UPDATE', [first]);
    try {
      await eventually('the first message at the sink', async () =>
        smtp.messages.some((message) => message.raw.toString().includes('Subject: first')) ? true : undefined,
      );

      smtp.reset();
      // One sending slot: the first round has sent, and its outcome write waits on the lock.
      const second = await send('second');
      await eventually('the second message at the sink', async () =>
        smtp.messages.some((message) => message.raw.toString().includes('Subject: second'))
          ? true
          : undefined,
      );
      expect(await statusOf(first)).toBe('SENDING');
      await blocker.query('ROLLBACK');

      for (const id of [first, second]) await sent(id);
    } finally {
      await blocker.query('ROLLBACK');
    }
  });

  it('claims nothing when a claim fails: the delivery waits for the next claim, its slot free', async () => {
    // The first claim that marks a delivery SENDING fails, and with it the whole claim statement (a
    // sequence, unlike a table, keeps its count through the rollback).
    await server.db.query('CREATE SEQUENCE claim_failures');
    await server.db.query(`
      CREATE FUNCTION fail_first_claim() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'SENDING' AND nextval('claim_failures') = 1 THEN
          RAISE EXCEPTION 'scripted claim failure';
        END IF;
        RETURN NEW;
      END $$`);
    await server.db.query(
      'CREATE TRIGGER fail_first_claim BEFORE UPDATE ON deliveries FOR EACH ROW EXECUTE FUNCTION fail_first_claim()',
    );
    try {
      const before = smtp.messages.length;
      const retried = await send('claimed at the second try');
      await sent(retried);
      // One sending slot: had the failed claim kept it, nothing would be sent any more.
      const next = await send('after the failed claim');
      await sent(next);

      const subjects = smtp.messages
        .slice(before)
        .map((message) => /^Subject: (.*)$/m.exec(message.raw.toString())?.[1]);
      expect(subjects).toEqual(['claimed at the second try', 'after the failed claim']);
      const { rows } = await server.db.query<{ rounds: number; attempts: string }>(
        `SELECT d.rounds, (SELECT count(*) FROM delivery_attempts a WHERE a.delivery_id = d.id) AS attempts
         FROM deliveries d WHERE d.id = $1`,
        [retried],
      );
      expect(rows).toEqual([{ rounds: 1, attempts: '1' }]);
      // Logged once, as an outage of claiming.
      expect(server.logs.filter((line) => line.includes('claiming deliveries failed'))).toHaveLength(1);
    } finally {
      await server.db.query('DROP TRIGGER IF EXISTS fail_first_claim ON deliveries');
      await server.db.query('DROP FUNCTION IF EXISTS fail_first_claim()');
      await server.db.query('DROP SEQUENCE IF EXISTS claim_failures');
    }
  });
});
