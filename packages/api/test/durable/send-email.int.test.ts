import { hostname } from 'node:os';
import {
  SMTP_REPLIES,
  startSmtpTestServer,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import {
  addSmtpProvider,
  DELIVERY,
  eventually,
  FAST_QUEUE_ENV,
  messageIdOf,
  SEND_EMAIL,
} from './durable-support';

interface DeliveryData {
  id: string;
  status: string;
  messageId: string | null;
  rounds: number;
  failureReason: string | null;
  deliveredByProviderName: string | null;
  deliveredBy: { id: string; name: string } | null;
  failure: { category: string; message: string; hint: string } | null;
  attempts: Array<{
    providerId: string | null;
    providerName: string;
    outcome: string;
    round: number | null;
    failure: { category: string; possibleDuplicate: boolean | null } | null;
  }>;
}

describe('sendEmail: queued, then delivered by a worker', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  let provider: { id: string; name: string };
  let sender: TestAgent;

  beforeAll(async () => {
    server = await startTestServer({ env: FAST_QUEUE_ENV });
    smtp = await startSmtpTestServer();
    provider = await addSmtpProvider(server, smtp, { name: 'sink' });
    sender = await server.tokenAgent(['SEND', 'READ']);
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  async function finished(id: string): Promise<DeliveryData> {
    return eventually(`delivery ${id} to finish`, async () => {
      const data = dataOf(await sender.gql<{ delivery: DeliveryData }>(DELIVERY, { id }));
      return data.delivery.status === 'SENT' || data.delivery.status === 'FAILED' ? data.delivery : undefined;
    });
  }

  it('answers QUEUED at once, then a worker claims the delivery with a lease and delivers it', async () => {
    const before = smtp.messages.length;
    // A slow first greeting keeps the round open while its claim is looked at.
    smtp.fail({ greetingDelayMs: 1500 });
    const response = dataOf(
      await sender.gql<{ sendEmail: { id: string; status: string } }>(SEND_EMAIL, {
        input: {
          to: ['Ann <ann@example.com>'],
          cc: ['bob@example.com'],
          subject: 'Welcome',
          text: 'Hello Ann',
        },
      }),
    );
    expect(response.sendEmail.status).toBe('QUEUED');
    const claim = () =>
      server.db.query<{
        status: string;
        rounds: number;
        claimed_by: string | null;
        lease_s: number | null;
        next_attempt_at: Date | null;
      }>(
        `SELECT status, rounds, claimed_by, extract(epoch FROM lease_expires_at - sending_since)::int AS lease_s,
                next_attempt_at
         FROM deliveries WHERE id = $1`,
        [response.sendEmail.id],
      );
    // Claimed by this process's worker for one lease (the job timeout), its retry time cleared.
    const claimed = await eventually('the delivery to be claimed', async () => {
      const [row] = (await claim()).rows;
      return row?.status === 'SENDING' ? row : undefined;
    });
    expect(claimed).toEqual({
      status: 'SENDING',
      rounds: 1,
      claimed_by: `${hostname()}:${process.pid}`,
      lease_s: Number(FAST_QUEUE_ENV.DELIVERY_JOB_TIMEOUT_SECONDS),
      next_attempt_at: null,
    });
    smtp.reset();

    const delivery = await finished(response.sendEmail.id);
    expect(delivery).toMatchObject({
      status: 'SENT',
      rounds: 1,
      deliveredBy: { id: provider.id, name: 'sink' },
      deliveredByProviderName: 'sink',
      failureReason: null,
    });
    expect(delivery.attempts).toEqual([
      expect.objectContaining({ providerId: provider.id, providerName: 'sink', outcome: 'SENT', round: 1 }),
    ]);
    const received = smtp.messages.slice(before);
    expect(received).toHaveLength(1);
    expect(received[0]?.rcptTo.sort()).toEqual(['ann@example.com', 'bob@example.com']);
    expect(messageIdOf(received[0]?.raw ?? Buffer.alloc(0))).toBe(delivery.messageId);
    // The recorded outcome released the claim.
    expect((await claim()).rows).toEqual([
      { status: 'SENT', rounds: 1, claimed_by: null, lease_s: null, next_attempt_at: null },
    ]);
  });

  it('returns the first delivery for a repeated idempotency key and sends once', async () => {
    const before = smtp.messages.length;
    const input = {
      to: ['carl@example.com'],
      subject: 'Receipt 42',
      html: '<p>Paid</p>',
      idempotencyKey: 'order-42',
    };
    const [first, second] = await Promise.all([
      sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input }),
      sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input }),
    ]);
    const id = dataOf(first).sendEmail.id;
    expect(dataOf(second).sendEmail.id).toBe(id);
    await finished(id);
    const third = dataOf(
      await sender.gql<{ sendEmail: { id: string; status: string } }>(SEND_EMAIL, { input }),
    );
    expect(third.sendEmail).toEqual(expect.objectContaining({ id, status: 'SENT' }));
    // Give a duplicate round time to show itself before counting.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(smtp.messages.length - before).toBe(1);
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE idempotency_key = 'order-42'`,
    );
    expect(rows[0]).toEqual({ n: 1 });
  });

  it('keeps the idempotency keys of each caller apart: another caller never gets its delivery', async () => {
    const other = await server.tokenAgent(['SEND', 'READ']);
    const input = { to: ['dora@example.com'], subject: 'Invoice 7', text: 'x', idempotencyKey: 'invoice-7' };
    const [mine, theirs] = await Promise.all([
      sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input }),
      other.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input }),
    ]);
    const myId = dataOf(mine).sendEmail.id;
    const theirId = dataOf(theirs).sendEmail.id;
    expect(theirId).not.toBe(myId);
    // Each caller's repeat still answers with its own first delivery.
    expect(dataOf(await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input })).sendEmail.id).toBe(
      myId,
    );
    expect(dataOf(await other.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input })).sendEmail.id).toBe(
      theirId,
    );
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE idempotency_key = 'invoice-7'`,
    );
    expect(rows[0]).toEqual({ n: 2 });
  });

  it('accepts a batch in one call and delivers every message', async () => {
    const before = smtp.messages.length;
    const inputs = Array.from({ length: 12 }, (_, i) => ({
      to: [`bulk${i}@example.com`],
      subject: `Bulk ${i}`,
      text: 'x',
    }));
    const data = dataOf(
      await sender.gql<{ sendEmails: Array<{ id: string; status: string; to: string[] }> }>(
        `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id status to } }`,
        { inputs },
      ),
    );
    expect(data.sendEmails.map((d) => d.to[0])).toEqual(inputs.map((i) => i.to[0]));
    expect(new Set(data.sendEmails.map((d) => d.status))).toEqual(new Set(['QUEUED']));
    await smtp.waitForMessages(before + 12, 20_000);
    for (const delivery of data.sendEmails) expect((await finished(delivery.id)).status).toBe('SENT');
  });

  it('accepts concurrent callers in shared commits, each with its own answer', async () => {
    const before = smtp.messages.length;
    const single = (i: number) =>
      sender.gql<{ sendEmail: { id: string; status: string; to: string[] } }>(
        `mutation ($input: EmailInput!) { sendEmail(input: $input) { id status to } }`,
        { input: { to: [`crowd${i}@example.com`], subject: `Crowd ${i}`, text: 'x' } },
      );
    const repeated = { to: ['once@example.com'], subject: 'Once', text: 'x', idempotencyKey: 'crowd-once' };
    const [batch, firstRepeat, secondRepeat, ...singles] = await Promise.all([
      sender.gql<{ sendEmails: Array<{ id: string; to: string[] }> }>(
        `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id to } }`,
        { inputs: [0, 1, 2].map((i) => ({ to: [`crowd-batch${i}@example.com`], subject: 'B', text: 'x' })) },
      ),
      sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input: repeated }),
      sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input: repeated }),
      ...Array.from({ length: 40 }, (_, i) => single(i)),
    ]);
    // Every caller gets its own message back.
    expect(singles.map((response) => dataOf(response).sendEmail.to)).toEqual(
      Array.from({ length: 40 }, (_, i) => [`crowd${i}@example.com`]),
    );
    expect(dataOf(batch).sendEmails.map((delivery) => delivery.to[0])).toEqual([
      'crowd-batch0@example.com',
      'crowd-batch1@example.com',
      'crowd-batch2@example.com',
    ]);
    const repeatId = dataOf(firstRepeat).sendEmail.id;
    expect(dataOf(secondRepeat).sendEmail.id).toBe(repeatId);
    const ids = [
      ...singles.map((response) => dataOf(response).sendEmail.id),
      ...dataOf(batch).sendEmails.map((delivery) => delivery.id),
      repeatId,
    ];
    expect(new Set(ids).size).toBe(44);
    // Rows written by one commit share its transaction id (xmin): 41 calls took fewer commits than that.
    const { rows } = await server.db.query<{ transactions: number; deliveries: number }>(
      `SELECT count(DISTINCT xmin::text)::int AS transactions, count(*)::int AS deliveries
       FROM deliveries WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    expect(rows[0]?.deliveries).toBe(44);
    expect(rows[0]?.transactions).toBeLessThan(41);
    await smtp.waitForMessages(before + 44, 20_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.messages.length - before).toBe(44);
  });

  it('refuses a bad message naming every bad field, and stores nothing', async () => {
    const response = await sender.gql(SEND_EMAIL, {
      input: { to: ['not-an-address'], subject: ' ', replyTo: 'nope' },
    });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.fields?.map((f) => f.field).sort()).toEqual(
      ['input.replyTo', 'input.subject', 'input.text', 'input.to[0]'].sort(),
    );
    const batch = await sender.gql(
      `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id } }`,
      {
        inputs: [
          { to: ['ok@example.com'], subject: 'fine', text: 'x' },
          { to: ['ok@example.com'], subject: '', text: 'x' },
        ],
      },
    );
    expect(batch.body.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'inputs[1].subject', message: expect.stringMatching(/subject/) },
    ]);
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE subject = 'fine'`,
    );
    expect(rows[0]).toEqual({ n: 0 });
  });

  it('needs the SEND scope', async () => {
    const reader = await server.tokenAgent(['READ']);
    const denied = await reader.gql(SEND_EMAIL, {
      input: { to: ['a@example.com'], subject: 's', text: 't' },
    });
    expect(denied.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const anonymous = await server.gql(
      SEND_EMAIL,
      { input: { to: ['a@example.com'], subject: 's', text: 't' } },
      { as: 'anonymous' },
    );
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('ends FAILED at once when the recipient is refused, and retryDelivery sends it again', async () => {
    smtp.fail({ rcptByAddress: { 'gone@example.com': SMTP_REPLIES.userUnknown } });
    const id = dataOf(
      await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['gone@example.com'], subject: 'Bounce', text: 'x' },
      }),
    ).sendEmail.id;
    const failed = await finished(id);
    expect(failed).toMatchObject({
      status: 'FAILED',
      rounds: 1,
      failure: { category: 'RECIPIENT_REJECTED' },
    });
    expect(failed.failureReason).toMatch(/RECIPIENT_REJECTED/);

    const notFailed = await sender.gql(`mutation ($id: ID!) { retryDelivery(id: $id) { id } }`, {
      id: (
        await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
          input: { to: ['x@example.com'], subject: 'y', text: 'z' },
        })
      ).body.data?.sendEmail.id,
    });
    expect(notFailed.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');

    smtp.reset();
    const retried = dataOf(
      await sender.gql<{ retryDelivery: { id: string; status: string } }>(
        `mutation ($id: ID!) { retryDelivery(id: $id) { id status } }`,
        { id },
      ),
    );
    expect(retried.retryDelivery.status).toBe('QUEUED');
    const sent = await finished(id);
    expect(sent.status).toBe('SENT');
    expect(sent.attempts.map((a) => [a.round, a.outcome])).toEqual([
      [1, 'FAILED'],
      [2, 'SENT'],
    ]);
  });
});

describe('sendEmail rate limit', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { ...FAST_QUEUE_ENV, SEND_RATE_LIMIT_PER_MINUTE: '5' } });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('counts every message of a caller, batches included, and answers RATE_LIMITED with the wait', async () => {
    const sender = await server.tokenAgent(['SEND']);
    const input = { to: ['a@example.com'], subject: 'Hi', text: 'x' };
    const batch = await sender.gql(
      `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id } }`,
      {
        inputs: [input, input, input, input],
      },
    );
    expect(batch.body.errors).toBeUndefined();
    expect((await sender.gql(SEND_EMAIL, { input })).body.errors).toBeUndefined();
    const limited = await sender.gql(SEND_EMAIL, { input });
    expect(limited.body.errors?.[0]?.extensions).toMatchObject({
      code: 'RATE_LIMITED',
      retryAfterSeconds: expect.any(Number),
    });
    // Another caller has a quota of its own.
    const other = await server.tokenAgent(['SEND']);
    expect((await other.gql(SEND_EMAIL, { input })).body.errors).toBeUndefined();
    const { rows } = await server.db.query(`SELECT count(*)::int AS n FROM deliveries`);
    expect(rows[0]).toEqual({ n: 6 });
  });

  it('charges callers arriving together one by one: what fits the quota goes through', async () => {
    const busy = await server.tokenAgent(['SEND']);
    const quiet = await server.tokenAgent(['SEND']);
    const send = (agent: TestAgent, i: number) =>
      agent.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: [`quota${i}@example.com`], subject: `Quota ${i}`, text: 'x' },
      });
    const [busyAnswers, quietAnswers] = await Promise.all([
      Promise.all(Array.from({ length: 8 }, (_, i) => send(busy, i))),
      Promise.all(Array.from({ length: 2 }, (_, i) => send(quiet, 100 + i))),
    ]);
    const codes = (answers: Array<{ body: { errors?: Array<{ extensions?: { code?: unknown } }> } }>) =>
      answers.map((answer) => answer.body.errors?.[0]?.extensions?.code ?? 'QUEUED').sort();
    expect(codes(busyAnswers)).toEqual([...Array(5).fill('QUEUED'), ...Array(3).fill('RATE_LIMITED')]);
    expect(codes(quietAnswers)).toEqual(['QUEUED', 'QUEUED']);
    const { rows } = await server.db.query(
      `SELECT count(*)::int AS n FROM deliveries WHERE subject LIKE 'Quota %'`,
    );
    expect(rows[0]).toEqual({ n: 7 });
  });
});
