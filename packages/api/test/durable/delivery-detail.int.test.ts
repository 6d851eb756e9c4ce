import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import { dataOf, errorCode, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

const DETAIL = `query ($id: ID!) {
  delivery(id: $id) {
    id status to cc bcc replyTo subject text html resentFromId
    headers { name value }
    resentFrom { id subject }
  }
}`;

const RESEND = `mutation ($id: ID!, $to: [String!]) {
  resendDelivery(id: $id, to: $to) { id status to cc bcc replyTo subject channel resentFromId resentFrom { id } }
}`;

interface Detail {
  id: string;
  status: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  subject: string;
  text: string | null;
  html: string | null;
  resentFromId: string | null;
  headers: Array<{ name: string; value: string }>;
  resentFrom: { id: string; subject: string } | null;
}

interface Resent {
  id: string;
  status: string;
  to: string[];
  cc: string[];
  bcc: string[];
  replyTo: string | null;
  subject: string;
  channel: string;
  resentFromId: string;
  resentFrom: { id: string } | null;
}

const MESSAGE = {
  to: ['Ann <ann@example.com>'],
  cc: ['cy@example.com'],
  bcc: ['audit@example.com'],
  replyTo: 'help@example.com',
  subject: 'Invoice 42',
  text: 'Your invoice is attached.',
  html: '<p>Your <b>invoice</b> is attached.</p>',
  channel: 'DEFAULT',
};

let server: TestServer;
let smtp: SmtpTestServer;
let sender: TestAgent;
let reader: TestAgent;
let original: Detail;

async function detail(id: string, as: TestAgent = reader): Promise<Detail | null> {
  return dataOf(await as.gql<{ delivery: Detail | null }>(DETAIL, { id })).delivery;
}

async function sentDetail(id: string): Promise<Detail> {
  return eventually(`delivery ${id} to be SENT`, async () => {
    const found = await detail(id);
    return found?.status === 'SENT' ? found : undefined;
  });
}

beforeAll(async () => {
  server = await startTestServer({ env: FAST_QUEUE_ENV });
  smtp = await startSmtpTestServer();
  await addSmtpProvider(server, smtp, { name: 'relay', fromEmail: 'noreply@shop.test' });
  sender = await server.tokenAgent(['SEND']);
  reader = await server.tokenAgent(['READ']);
  const { sendEmail } = dataOf(
    await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, { input: MESSAGE }),
  );
  original = await sentDetail(sendEmail.id);
});

afterAll(async () => {
  await server?.close();
  await smtp?.close();
});

describe('a delivery’s detail', () => {
  it('shows its bodies and the headers it was sent with, with READ scope', async () => {
    expect(original).toMatchObject({
      text: MESSAGE.text,
      html: MESSAGE.html,
      resentFromId: null,
      resentFrom: null,
    });
    const headers = Object.fromEntries(original.headers.map((header) => [header.name, header.value]));
    expect(original.headers.map((header) => header.name)).toEqual([
      'From',
      'To',
      'Cc',
      'Reply-To',
      'Subject',
      'Message-ID',
      'Date',
    ]);
    expect(headers).toMatchObject({
      From: 'Sender <noreply@shop.test>',
      To: '"Ann" <ann@example.com>',
      Cc: 'cy@example.com',
      'Reply-To': 'help@example.com',
      Subject: 'Invoice 42',
      'Message-ID': expect.stringMatching(/^<.+@.+>$/),
    });
    expect(headers.Date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    // Bcc is a field of the delivery, never a header.
    expect(original.bcc).toEqual(['audit@example.com']);
    expect(original.headers.map((header) => header.name)).not.toContain('Bcc');
    // The Message-ID shown is the one the message carried.
    const received = smtp.messages.find((message) => message.rcptTo.includes('ann@example.com'));
    expect(received?.raw.toString('utf8')).toContain(headers['Message-ID']);
  });

  it('has no From, Message-ID or Date before it is sent', async () => {
    const { rows } = await server.db.query<{ id: string }>(
      `INSERT INTO deliveries (status, channel, to_addresses, subject, text_body, size_bytes, next_attempt_at, window_started_at)
       VALUES ('RETRYING', 'DEFAULT', ARRAY['later@example.com'], 'Later', 'x', 1, now() + interval '1 hour', now())
       RETURNING id`,
    );
    const waiting = await detail(rows[0]?.id ?? '');
    expect(waiting?.headers).toEqual([
      { name: 'To', value: 'later@example.com' },
      { name: 'Subject', value: 'Later' },
    ]);
    expect(waiting).toMatchObject({ text: 'x', html: null });
  });
});

describe('resendDelivery', () => {
  it('sends a copy to the original recipients, cc and bcc included, linked to the original', async () => {
    const before = smtp.messages.length;
    const resent = dataOf(
      await sender.gql<{ resendDelivery: Resent }>(RESEND, { id: original.id }),
    ).resendDelivery;
    expect(resent).toMatchObject({
      status: 'QUEUED',
      to: original.to,
      cc: ['cy@example.com'],
      bcc: ['audit@example.com'],
      replyTo: 'help@example.com',
      subject: 'Invoice 42',
      channel: 'DEFAULT',
      resentFromId: original.id,
      resentFrom: { id: original.id },
    });
    expect(resent.id).not.toBe(original.id);
    const sent = await sentDetail(resent.id);
    expect(sent).toMatchObject({ text: MESSAGE.text, html: MESSAGE.html, resentFrom: { id: original.id } });
    await smtp.waitForMessages(before + 1);
    expect(smtp.messages.at(-1)?.rcptTo.sort()).toEqual([
      'ann@example.com',
      'audit@example.com',
      'cy@example.com',
    ]);
  });

  it('sends to other addresses only, without the original cc and bcc', async () => {
    const before = smtp.messages.length;
    const resent = dataOf(
      await sender.gql<{ resendDelivery: Resent }>(RESEND, {
        id: original.id,
        to: ['Ops <ops@example.org>', 'second@example.org'],
      }),
    ).resendDelivery;
    expect(resent).toMatchObject({
      to: ['"Ops" <ops@example.org>', 'second@example.org'],
      cc: [],
      bcc: [],
      replyTo: 'help@example.com',
      resentFromId: original.id,
    });
    await sentDetail(resent.id);
    await smtp.waitForMessages(before + 1);
    expect(smtp.messages.at(-1)?.rcptTo.sort()).toEqual(['ops@example.org', 'second@example.org']);
  });

  it.each([
    {
      case: 'an empty list',
      to: [],
      fields: [{ field: 'to', message: expect.stringContaining('at least one') }],
    },
    {
      case: 'a malformed address',
      to: ['ops@example.org', 'not an address'],
      fields: [{ field: 'to[1]', message: expect.stringContaining('"not an address"') }],
    },
    {
      case: 'a header injection',
      to: ['ops@example.org\r\nBcc: victim@example.org'],
      fields: [{ field: 'to[0]', message: expect.any(String) }],
    },
    {
      case: 'too many recipients',
      to: Array.from({ length: 101 }, (_, index) => `r${index}@example.org`),
      fields: [{ field: 'to', message: expect.stringContaining('at most 100 recipients') }],
    },
  ])('refuses $case, naming the field to, and sends nothing', async ({ to, fields }) => {
    const { rows: before } = await server.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM deliveries`,
    );
    const response = await sender.gql(RESEND, { id: original.id, to });
    expect(errorCode(response)).toBe('BAD_USER_INPUT');
    expect(response.body.errors?.[0]?.extensions?.fields).toEqual(fields);
    const { rows: after } = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM deliveries`);
    expect(after).toEqual(before);
  });

  it.each([
    ['an unknown id', '00000000-0000-4000-8000-000000000000'],
    ['an id that is not a UUID', 'nope'],
  ])('answers NOT_FOUND for %s, saying it may have been purged', async (_case, id) => {
    const response = await sender.gql(RESEND, { id });
    expect(errorCode(response)).toBe('NOT_FOUND');
    expect(response.body.errors?.[0]?.message).toMatch(/purged/);
  });

  it('keeps resentFromId but shows no resentFrom once the original is purged', async () => {
    const { sendEmail } = dataOf(
      await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { ...MESSAGE, subject: 'Purged soon' },
      }),
    );
    await sentDetail(sendEmail.id);
    const resent = dataOf(
      await sender.gql<{ resendDelivery: Resent }>(RESEND, { id: sendEmail.id }),
    ).resendDelivery;
    await server.db.query(`DELETE FROM deliveries WHERE id = $1`, [sendEmail.id]);
    expect(await detail(resent.id)).toMatchObject({ resentFromId: sendEmail.id, resentFrom: null });
    expect(errorCode(await sender.gql(RESEND, { id: sendEmail.id }))).toBe('NOT_FOUND');
  });

  it('is audited as delivery.resend', async () => {
    const resent = dataOf(
      await sender.gql<{ resendDelivery: Resent }>(RESEND, { id: original.id, to: ['audit-me@example.org'] }),
    ).resendDelivery;
    const { rows } = await server.db.query<{
      action: string;
      entity_type: string;
      fields: string[];
      actor: string;
    }>(`SELECT action, entity_type, fields, actor FROM audit_log WHERE entity_id = $1`, [resent.id]);
    expect(rows).toEqual([
      {
        action: 'delivery.resend',
        entity_type: 'delivery',
        fields: ['resentFrom', 'to'],
        actor: expect.stringMatching(/^token:/),
      },
    ]);
  });

  it.each<{ who: string; agent: () => Promise<TestAgent>; allowed: boolean }>([
    { who: 'a SEND token', agent: () => server.tokenAgent(['SEND']), allowed: true },
    { who: 'a MANAGE token', agent: () => server.tokenAgent(['MANAGE']), allowed: true },
    { who: 'an ADMIN session', agent: () => server.admin(), allowed: true },
    { who: 'a READ token', agent: () => server.tokenAgent(['READ']), allowed: false },
    { who: 'a VIEWER session', agent: () => server.userAgent('VIEWER'), allowed: false },
  ])('$who may resend: $allowed', async ({ agent, allowed }) => {
    const response = await (await agent()).gql(RESEND, { id: original.id, to: ['scope@example.org'] });
    if (allowed) expect(dataOf(response)).toMatchObject({ resendDelivery: { resentFromId: original.id } });
    else expect(errorCode(response)).toBe('FORBIDDEN');
  });
});
