import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, type GqlResponse, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { addSmtpProvider, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

const SEND_MANY = `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id } }`;

type Sent = { sendEmail: { id: string } };

function conflictOf(response: GqlResponse<unknown>): { code?: string; message: string } {
  const error = response.body.errors?.[0];
  return { code: error?.extensions?.code, message: error?.message ?? '' };
}

describe('sendEmail: an idempotency key reused for a different message', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  let sender: TestAgent;

  beforeAll(async () => {
    server = await startTestServer({ env: FAST_QUEUE_ENV });
    smtp = await startSmtpTestServer();
    await addSmtpProvider(server, smtp, { name: 'sink' });
    sender = await server.tokenAgent(['SEND', 'READ']);
  });

  afterAll(async () => {
    await server?.close();
    await smtp?.close();
  });

  async function deliveriesWithKey(key: string): Promise<number> {
    const { rows } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries WHERE idempotency_key = $1`,
      [key],
    );
    return rows[0]?.n ?? 0;
  }

  const message = { to: ['ann@example.com', 'bob@example.com'], subject: 'Order 9', text: 'Paid' };

  // Each row: what the repeat changes, and whether it is still the same message.
  const repeats: Array<[string, Record<string, unknown>, 'same' | 'conflict']> = [
    ['nothing', {}, 'same'],
    ['the order of the recipients', { to: ['bob@example.com', 'ann@example.com'] }, 'same'],
    ['a recipient', { to: ['ann@example.com', 'eve@example.com'] }, 'conflict'],
    ['the subject', { subject: 'Order 10' }, 'conflict'],
    ['the text', { text: 'Refunded' }, 'conflict'],
    ['an added html body', { html: '<p>Paid</p>' }, 'conflict'],
    ['an added cc', { cc: ['carl@example.com'] }, 'conflict'],
    ['the channel', { channel: 'CRM' }, 'conflict'],
  ];

  it.each(repeats)('a repeat that changes %s: %s', async (_what, change, expected) => {
    const key = `order-9-${expected}-${Object.keys(change).join('-') || 'none'}-${Math.random()}`;
    const first = dataOf(await sender.gql<Sent>(SEND_EMAIL, { input: { ...message, idempotencyKey: key } }));
    const repeat = await sender.gql<Sent>(SEND_EMAIL, {
      input: { ...message, ...change, idempotencyKey: key },
    });
    if (expected === 'same') {
      expect(dataOf(repeat).sendEmail.id).toBe(first.sendEmail.id);
    } else {
      const error = conflictOf(repeat);
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain(`"${key}"`);
    }
    expect(await deliveriesWithKey(key)).toBe(1);
  });

  it('refuses a whole batch whose one message reuses a key for another message, writing nothing', async () => {
    const key = `batch-${Math.random()}`;
    dataOf(await sender.gql<Sent>(SEND_EMAIL, { input: { ...message, idempotencyKey: key } }));
    const { rows: before } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries`,
    );
    const response = await sender.gql(SEND_MANY, {
      inputs: [
        { to: ['new@example.com'], subject: 'New', text: 'x' },
        { ...message, subject: 'Changed', idempotencyKey: key },
      ],
    });
    expect(conflictOf(response).code).toBe('CONFLICT');
    const { rows: after } = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries`);
    expect(after[0]?.n).toBe(before[0]?.n);
  });

  it('refuses one call that gives one key to two different messages', async () => {
    const key = `twice-${Math.random()}`;
    const response = await sender.gql(SEND_MANY, {
      inputs: [
        { ...message, idempotencyKey: key },
        { ...message, subject: 'Other', idempotencyKey: key },
      ],
    });
    expect(conflictOf(response).code).toBe('CONFLICT');
    expect(await deliveriesWithKey(key)).toBe(0);
  });

  it('lets another caller use the same key for its own, different message', async () => {
    const key = `shared-${Math.random()}`;
    const other = await server.tokenAgent(['SEND', 'READ']);
    const mine = dataOf(await sender.gql<Sent>(SEND_EMAIL, { input: { ...message, idempotencyKey: key } }));
    const theirs = dataOf(
      await other.gql<Sent>(SEND_EMAIL, { input: { ...message, subject: 'Theirs', idempotencyKey: key } }),
    );
    expect(theirs.sendEmail.id).not.toBe(mine.sendEmail.id);
  });

  it('gives one of two concurrent different messages with a new key the delivery, the other CONFLICT', async () => {
    const key = `race-${Math.random()}`;
    const responses = await Promise.all(
      ['First', 'Second', 'Third'].map((subject) =>
        sender.gql<Sent>(SEND_EMAIL, { input: { ...message, subject, idempotencyKey: key } }),
      ),
    );
    const accepted = responses.filter((response) => response.body.data?.sendEmail);
    expect(accepted).toHaveLength(1);
    expect(responses.map((response) => conflictOf(response).code).filter(Boolean)).toEqual([
      'CONFLICT',
      'CONFLICT',
    ]);
    expect(await deliveriesWithKey(key)).toBe(1);
  });
});
