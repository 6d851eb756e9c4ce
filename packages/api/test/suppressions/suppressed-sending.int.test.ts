import {
  SMTP_REPLIES,
  startSmtpTestServer,
  type SmtpTestServer,
} from '@mail-providers/mailer-core/test-support';
import { dataOf, errorCode, type TestAgent } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { addSmtpProvider, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from '../durable/durable-support';
import { SEND_TEST } from '../providers/provider-support';

interface DeliveryData {
  id: string;
  status: string;
  to: string[];
  cc: string[];
  bcc: string[];
  rounds: number;
  finishedAt: string | null;
  suppressedRecipients: string[];
  attempts: Array<{ outcome: string }>;
  events: Array<{
    type: string;
    recipient: string | null;
    providerId: string | null;
    providerName: string | null;
    reason: string | null;
  }>;
}

const DELIVERY = `query ($id: ID!) {
  delivery(id: $id) {
    id status to cc bcc rounds finishedAt suppressedRecipients
    attempts { outcome }
    events { type recipient providerId providerName reason }
  }
}`;

const SEND_EMAILS = `mutation ($inputs: [EmailInput!]!) { sendEmails(inputs: $inputs) { id status } }`;

describe('sending to suppressed recipients', () => {
  let server: TestServer;
  let smtp: SmtpTestServer;
  let provider: { id: string; name: string };
  let sender: TestAgent;

  beforeAll(async () => {
    [server, smtp] = await Promise.all([startTestServer({ env: FAST_QUEUE_ENV }), startSmtpTestServer()]);
    [provider, sender] = await Promise.all([
      addSmtpProvider(server, smtp, { name: 'sink' }),
      server.tokenAgent(['SEND', 'READ']),
    ]);
  });

  afterAll(() => Promise.all([server?.close(), smtp?.close()]));

  beforeEach(async () => {
    smtp.reset();
    smtp.messages.length = 0;
    await server.db.query(`DELETE FROM suppressions`);
  });

  /** What a vendor's hard bounce or complaint leaves on the list. */
  async function suppress(email: string, scope: string, source = 'HARD_BOUNCE'): Promise<void> {
    await server.db.query(`INSERT INTO suppressions (email, scope, source, reason) VALUES ($1, $2, $3, $4)`, [
      email,
      scope,
      source,
      '550 5.1.1 no such user',
    ]);
  }

  async function send(input: Record<string, unknown>): Promise<{ id: string; status: string }> {
    return dataOf(
      await sender.gql<{ sendEmail: { id: string; status: string } }>(SEND_EMAIL, {
        input: { subject: 'Hello', text: 'Hi', ...input },
      }),
    ).sendEmail;
  }

  async function delivery(id: string): Promise<DeliveryData> {
    return dataOf(await sender.gql<{ delivery: DeliveryData }>(DELIVERY, { id })).delivery;
  }

  async function finished(id: string): Promise<DeliveryData> {
    return eventually(`delivery ${id} to finish`, async () => {
      const data = await delivery(id);
      return data.status === 'SENT' || data.status === 'FAILED' ? data : undefined;
    });
  }

  it('drops a bounced address (any case, any column) while the others get the message', async () => {
    await suppress('gone@example.com', 'ALL');
    const { id, status } = await send({
      to: ['Ann <ann@example.com>', 'Gone <GONE@Example.com>'],
      cc: ['gone@EXAMPLE.com'],
    });
    expect(status).toBe('QUEUED');
    const done = await finished(id);
    expect(done).toMatchObject({
      status: 'SENT',
      to: ['"Ann" <ann@example.com>'],
      cc: [],
      suppressedRecipients: ['gone@example.com'],
    });
    expect(done.events.map((event) => [event.type, event.recipient])).toEqual([
      ['DELIVERY_QUEUED', null],
      ['DELIVERY_SUPPRESSED', 'gone@example.com'],
      ['DELIVERY_SENT', null],
    ]);
    expect(done.events[2]).toMatchObject({ providerId: provider.id, providerName: 'sink' });
    expect(smtp.messages.flatMap((message) => message.rcptTo)).toEqual(['ann@example.com']);
    expect(smtp.messages[0]?.raw.toString('utf8')).not.toMatch(/gone@/i);
  });

  it('stores a delivery whose every recipient is suppressed as SUPPRESSED: finished, never claimed, no attempt', async () => {
    await suppress('gone@example.com', 'ALL');
    await suppress('left@example.com', 'DEFAULT', 'COMPLAINT');
    const { id, status } = await send({ to: ['gone@example.com'], bcc: ['Left@example.com'] });
    expect(status).toBe('SUPPRESSED');
    // A message sent after it is delivered, so the worker has been past it.
    const later = await send({ to: ['ann@example.com'] });
    await finished(later.id);
    const stored = await delivery(id);
    expect(stored).toMatchObject({
      status: 'SUPPRESSED',
      rounds: 0,
      attempts: [],
      to: [],
      bcc: [],
      suppressedRecipients: ['gone@example.com', 'left@example.com'],
    });
    expect(stored.finishedAt).not.toBeNull();
    expect(stored.events.map((event) => [event.type, event.recipient])).toEqual([
      ['DELIVERY_QUEUED', null],
      ['DELIVERY_SUPPRESSED', 'gone@example.com'],
      ['DELIVERY_SUPPRESSED', 'left@example.com'],
    ]);
    expect(smtp.messages.flatMap((message) => message.rcptTo)).toEqual(['ann@example.com']);
    const resent = await sender.gql(`mutation ($id: ID!) { resendDelivery(id: $id) { id } }`, { id });
    expect(resent.body.errors?.[0]?.extensions?.fields).toEqual([
      {
        field: 'to',
        message: expect.stringContaining('Every recipient of this delivery was on the suppression list'),
      },
    ]);
    const log = dataOf(
      await sender.gql<{ deliveries: { nodes: Array<{ id: string; events: Array<{ type: string }> }> } }>(
        `{ deliveries(first: 10, status: SUPPRESSED) { nodes { id events { type } } } }`,
      ),
    );
    expect(log.deliveries.nodes).toEqual([
      {
        id,
        events: [
          { type: 'DELIVERY_QUEUED' },
          { type: 'DELIVERY_SUPPRESSED' },
          { type: 'DELIVERY_SUPPRESSED' },
        ],
      },
    ]);
    // A page of the log resolves every delivery's events (read together for the page).
    const page = dataOf(
      await sender.gql<{ deliveries: { nodes: Array<{ events: Array<{ type: string }> }> } }>(
        `{ deliveries(first: 3) { nodes { events { type } } } }`,
      ),
    );
    expect(page.deliveries.nodes.map((node) => node.events[0]?.type)).toEqual([
      'DELIVERY_QUEUED',
      'DELIVERY_QUEUED',
      'DELIVERY_QUEUED',
    ]);
  });

  it('keeps a channel’s entry to that channel: a CRM complaint does not block DEFAULT mail', async () => {
    await suppress('ann@example.com', 'CRM', 'COMPLAINT');
    const crm = await send({ to: ['ann@example.com'], channel: 'CRM' });
    const reset = await send({ to: ['ann@example.com'], channel: 'DEFAULT' });
    expect(crm.status).toBe('SUPPRESSED');
    expect((await finished(reset.id)).suppressedRecipients).toEqual([]);
    expect(smtp.messages.flatMap((message) => message.rcptTo)).toEqual(['ann@example.com']);
  });

  it('moves the Cc recipients to To when every To recipient is suppressed', async () => {
    await suppress('gone@example.com', 'ALL');
    const { id } = await send({ to: ['gone@example.com'], cc: ['bob@example.com'] });
    expect(await finished(id)).toMatchObject({ status: 'SENT', to: ['bob@example.com'], cc: [] });
    expect(smtp.messages.flatMap((message) => message.rcptTo)).toEqual(['bob@example.com']);
  });

  it('makes a single remaining Bcc recipient the To recipient when no To or Cc is left', async () => {
    await suppress('gone@example.com', 'ALL');
    const { id } = await send({ to: ['gone@example.com'], bcc: ['hidden@example.com'] });
    expect(await finished(id)).toMatchObject({ status: 'SENT', to: ['hidden@example.com'], bcc: [] });
    expect(smtp.messages.flatMap((message) => message.rcptTo)).toEqual(['hidden@example.com']);
  });

  it('checks each message of a sendEmails batch on its own', async () => {
    await suppress('gone@example.com', 'ALL');
    const batch = dataOf(
      await sender.gql<{ sendEmails: Array<{ id: string; status: string }> }>(SEND_EMAILS, {
        inputs: [
          { to: ['gone@example.com'], subject: 'One', text: 'x' },
          { to: ['ann@example.com'], subject: 'Two', text: 'x' },
        ],
      }),
    ).sendEmails;
    expect(batch.map((one) => one.status)).toEqual(['SUPPRESSED', 'QUEUED']);
    const second = batch[1];
    if (!second) throw new Error('the batch answered one delivery');
    await finished(second.id);
    expect(smtp.messages).toHaveLength(1);
  });

  it('writes DELIVERY_QUEUED then DELIVERY_FAILED (with the reason) when no provider will take it', async () => {
    smtp.fail({ rcpt: SMTP_REPLIES.userUnknown });
    const { id } = await send({ to: ['nobody@example.com'] });
    const done = await finished(id);
    expect(done.status).toBe('FAILED');
    expect(done.events.map((event) => event.type)).toEqual(['DELIVERY_QUEUED', 'DELIVERY_FAILED']);
    expect(done.events[1]?.reason).toContain('RECIPIENT_REJECTED');
  });

  it('refuses a test email to a suppressed address, through one provider and through the chain', async () => {
    await suppress('gone@example.com', 'ALL');
    for (const variables of [{ providerId: provider.id }, {}]) {
      const response = await server.gql(SEND_TEST, { to: 'Gone@Example.com', ...variables });
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      const fields = response.body.errors?.[0]?.extensions?.fields as Array<{
        field: string;
        message: string;
      }>;
      expect(fields).toEqual([
        {
          field: 'to',
          message: expect.stringMatching(
            /gone@example\.com is on the suppression list for all mail since .*\(a hard bounce: 550 5\.1\.1 no such user\)\. Remove it on the Suppression list page or with removeSuppression/,
          ),
        },
      ]);
    }
    expect(smtp.messages).toHaveLength(0);
    expect(
      dataOf(await server.gql<{ sendTestEmail: { ok: boolean } }>(SEND_TEST, { to: 'ann@example.com' }))
        .sendTestEmail.ok,
    ).toBe(true);
  });
});
