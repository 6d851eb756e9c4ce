import { API_VENDORS, type ApiVendor } from '@mail-providers/mailer-core';
import {
  sampleVendorPayload,
  startVendorEmulator,
  vendorReports,
  vendorSigner,
  vendorSignsRequests,
  type SampleEvent,
  type VendorEmulator,
  type VendorSigner,
} from '@mail-providers/mailer-core/test-support';
import { DELIVERY, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from '../durable/durable-support';
import { apiInput } from '../providers/provider-support';
import { dataOf } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { countRows, postWebhook, vendorReportedEvents } from './inbound-support';

let server: TestServer;
let emulator: VendorEmulator;
const providers = new Map<ApiVendor, { id: string; signer: VendorSigner }>();

const SET_STATUS = `mutation ($id: ID!, $status: ProviderStatus!) { setProviderStatus(id: $id, status: $status) { id status } }`;

beforeAll(async () => {
  server = await startTestServer({ env: FAST_QUEUE_ENV });
  emulator = await startVendorEmulator();
  for (const vendor of API_VENDORS) {
    const signer = vendorSigner(vendor);
    const created = dataOf(
      await server.gql<{ createProvider: { id: string } }>(
        `mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }`,
        { input: { ...apiInput(emulator, vendor, { status: 'INACTIVE' }), webhookSecret: signer.secret } },
      ),
    );
    providers.set(vendor, { id: created.createProvider.id, signer });
  }
});

afterAll(async () => {
  await emulator?.close();
  await server?.close();
});

function providerOf(vendor: ApiVendor): { id: string; signer: VendorSigner } {
  const provider = providers.get(vendor);
  if (!provider) throw new Error(`no ${vendor} provider`);
  return provider;
}

interface SentDelivery {
  id: string;
  messageId: string;
  vendorMessageId: string;
}

/** Sends one email through the vendor alone (the only active provider) and waits until it is SENT. */
async function sendThrough(vendor: ApiVendor, to: string[]): Promise<SentDelivery> {
  const { id: providerId } = providerOf(vendor);
  dataOf(await server.gql(SET_STATUS, { id: providerId, status: 'ACTIVE' }));
  try {
    const sent = dataOf(
      await server.gql<{ sendEmail: { id: string; messageId: string } }>(SEND_EMAIL, {
        input: { to, subject: `Events via ${vendor}`, text: 'Hello.' },
      }),
    ).sendEmail;
    await eventually(`the ${vendor} delivery to be sent`, async () => {
      const { delivery } = dataOf(
        await server.gql<{ delivery: { status: string } }>(DELIVERY, { id: sent.id }),
      );
      return delivery.status === 'SENT' ? true : undefined;
    });
    const { rows } = await server.db.query<{ provider_message_id: string; message_id: string }>(
      `SELECT a.provider_message_id, d.message_id FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id
        WHERE a.delivery_id = $1 AND a.outcome = 'SENT'`,
      [sent.id],
    );
    const row = rows[0];
    if (!row) throw new Error('no sent attempt');
    return { id: sent.id, messageId: row.message_id, vendorMessageId: row.provider_message_id };
  } finally {
    dataOf(await server.gql(SET_STATUS, { id: providerId, status: 'INACTIVE' }));
  }
}

/** Posts events the vendor's way: one batch for the vendors that batch, else one request each. */
async function post(
  vendor: ApiVendor,
  events: SampleEvent[],
): Promise<Array<{ status: number; text: string }>> {
  const { id, signer } = providerOf(vendor);
  const batches = vendor === 'sendgrid' || vendor === 'sparkpost' ? [events] : events.map((event) => [event]);
  const answers = [];
  for (const batch of batches) {
    answers.push(await postWebhook(server, vendor, id, signer.sign(sampleVendorPayload(vendor, batch))));
  }
  return answers;
}

async function suppression(
  email: string,
): Promise<
  { scope: string; source: string; source_event_id: string | null; reason: string | null } | undefined
> {
  const { rows } = await server.db.query<{
    scope: string;
    source: string;
    source_event_id: string | null;
    reason: string | null;
  }>(`SELECT scope, source, source_event_id, reason FROM suppressions WHERE email = $1`, [
    email.toLowerCase(),
  ]);
  return rows[0];
}

describe.each([...API_VENDORS])('%s delivery events', (vendor) => {
  const tag = vendor.slice(0, 4);
  const addresses = {
    delivered: `delivered-${tag}@example.net`,
    hard: `Hard-${tag}@example.net`,
    soft: `soft-${tag}@example.net`,
    complaint: `complaint-${tag}@example.net`,
  };
  let delivery: SentDelivery;

  beforeAll(async () => {
    delivery = await sendThrough(vendor, Object.values(addresses));
  });

  it('the transport sent the delivery id as metadata, and signed events update the delivery and the suppression list', async () => {
    // What the vendor received at send carried the delivery id where its events echo it back.
    const sends = emulator.requests(vendor).filter((request) => request.method === 'POST');
    expect(sends.some((request) => request.raw.toString('utf8').includes(delivery.id))).toBe(true);
    const byMetadata = { metadata: { deliveryId: delivery.id } };
    const byVendorId = { vendorMessageId: delivery.vendorMessageId };
    const events: SampleEvent[] = [
      ...(vendorReports(vendor, 'delivered')
        ? [{ kind: 'delivered' as const, recipient: addresses.delivered, ...byMetadata }]
        : []),
      // Matched through the metadata alone …
      { kind: 'hard_bounce', recipient: addresses.hard, reason: '550 5.1.1 No such user', ...byMetadata },
      // … and through the vendor's message id alone.
      { kind: 'soft_bounce', recipient: addresses.soft, ...byVendorId },
      ...(vendorReports(vendor, 'complaint')
        ? [{ kind: 'complaint' as const, recipient: addresses.complaint, ...byVendorId }]
        : []),
      { kind: 'open', recipient: addresses.delivered, ...byMetadata },
    ];
    const answers = await post(vendor, events);
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));

    const reported = await vendorReportedEvents(server, delivery.id);
    const expected = [
      ...(vendorReports(vendor, 'delivered') ? [['DELIVERY_DELIVERED', addresses.delivered, undefined]] : []),
      ['DELIVERY_BOUNCED', addresses.hard, 'HARD'],
      ['DELIVERY_BOUNCED', addresses.soft, 'SOFT'],
      ...(vendorReports(vendor, 'complaint')
        ? [['DELIVERY_COMPLAINED', addresses.complaint, undefined]]
        : []),
    ];
    expect(reported.map((event) => [event.type, event.recipient, event.payload.bounceType])).toEqual(
      expected,
    );
    expect(
      reported.every(
        (event) => event.provider_id === providerOf(vendor).id && event.payload.vendor === vendor,
      ),
    ).toBe(true);

    const hard = await suppression(addresses.hard);
    expect(hard).toMatchObject({ scope: 'ALL', source: 'HARD_BOUNCE', reason: '550 5.1.1 No such user' });
    const bounceEvent = await server.db.query<{ id: string }>(
      `SELECT id FROM events WHERE delivery_id = $1 AND type = 'DELIVERY_BOUNCED' AND recipient = $2`,
      [delivery.id, addresses.hard],
    );
    expect(hard?.source_event_id).toBe(bounceEvent.rows[0]?.id);
    expect(await suppression(addresses.soft)).toBeUndefined();
    expect(await suppression(addresses.delivered)).toBeUndefined();
    if (vendorReports(vendor, 'complaint')) {
      expect(await suppression(addresses.complaint)).toMatchObject({ scope: 'DEFAULT', source: 'COMPLAINT' });
    }
    // The open is stored, matched, and means nothing for the delivery.
    const { rows } = await server.db.query<{ event_type: string | null; matched: boolean }>(
      `SELECT event_type, matched FROM vendor_events WHERE provider_id = $1 AND recipient = $2 AND event_type IS NULL`,
      [providerOf(vendor).id, addresses.delivered],
    );
    expect(rows).toEqual([{ event_type: null, matched: true }]);
  });

  if (vendor === 'mailgun' || vendor === 'sendgrid' || vendor === 'brevo') {
    it('matches an event by our Message-ID header when that is all it carries', async () => {
      const recipient = `header-${tag}@example.net`;
      const answers = await post(vendor, [
        { kind: 'soft_bounce', recipient, messageIdHeader: delivery.messageId },
      ]);
      expect(answers.map((answer) => answer.status)).toEqual([200]);
      const reported = await vendorReportedEvents(server, delivery.id);
      expect(reported.filter((event) => event.recipient === recipient).map((event) => event.type)).toEqual([
        'DELIVERY_BOUNCED',
      ]);
    });
  }

  it("a vendor's retry of an event (the same event id, sent again) is accepted and processed once", async () => {
    const eventId = vendor === 'postmark' ? '987654' : `retry-${vendor}-1`;
    const event: SampleEvent = {
      kind: 'hard_bounce',
      recipient: `retry-${tag}@example.net`,
      metadata: { deliveryId: delivery.id },
      eventId,
      at: new Date(Date.now() - 1000),
    };
    const { id, signer } = providerOf(vendor);
    const payload = sampleVendorPayload(vendor, [event]);
    // Resend's event id is its svix-id header, the same on every retry.
    const first = await postWebhook(
      server,
      vendor,
      id,
      signer.sign(payload, { requestId: `msg_${eventId}` }),
    );
    const before = await countRows(server, 'events');
    const retry = await postWebhook(
      server,
      vendor,
      id,
      signer.sign(payload, { requestId: `msg_${eventId}`, at: new Date(Date.now() + 1000) }),
    );
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(JSON.parse(retry.text)).toMatchObject({ duplicates: 1, applied: 0 });
    expect(await countRows(server, 'events')).toBe(before);
  });

  it('a bad signature or wrong credentials are refused with 401 and change nothing', async () => {
    const { id } = providerOf(vendor);
    const impostor = vendorSigner(vendor);
    const payload = sampleVendorPayload(vendor, [
      { kind: 'hard_bounce', recipient: `forged-${tag}@example.net`, metadata: { deliveryId: delivery.id } },
    ]);
    const counts = [await countRows(server, 'vendor_events'), await countRows(server, 'events')];
    const answer = await postWebhook(server, vendor, id, impostor.sign(payload));
    expect(answer).toEqual({ status: 401, text: 'Unauthorized.' });
    expect([await countRows(server, 'vendor_events'), await countRows(server, 'events')]).toEqual(counts);
    expect(await suppression(`forged-${tag}@example.net`)).toBeUndefined();
    expect(
      server.logs.some((line) => line.includes('do not match the webhook secret') && line.includes(id)),
    ).toBe(true);
  });

  if (vendorSignsRequests(vendor)) {
    it('a request signed more than 5 minutes ago, and a replayed request, are refused with 401', async () => {
      const { id, signer } = providerOf(vendor);
      const payload = sampleVendorPayload(vendor, [
        {
          kind: 'hard_bounce',
          recipient: `replayed-${tag}@example.net`,
          metadata: { deliveryId: delivery.id },
        },
      ]);
      const old = await postWebhook(
        server,
        vendor,
        id,
        signer.sign(payload, { at: new Date(Date.now() - 6 * 60_000) }),
      );
      expect(old.status).toBe(401);
      expect(await suppression(`replayed-${tag}@example.net`)).toBeUndefined();

      const signed = signer.sign(payload);
      expect((await postWebhook(server, vendor, id, signed)).status).toBe(200);
      const counts = [await countRows(server, 'vendor_events'), await countRows(server, 'events')];
      expect((await postWebhook(server, vendor, id, signed)).status).toBe(401);
      expect([await countRows(server, 'vendor_events'), await countRows(server, 'events')]).toEqual(counts);
      expect(server.logs.some((line) => line.includes('a replay'))).toBe(true);
    });
  }

  it('an event that matches no delivery is stored and listed, not dropped', async () => {
    const recipient = `stranger-${tag}@example.net`;
    const answers = await post(vendor, [
      { kind: 'hard_bounce', recipient, vendorMessageId: `unknown-${vendor}-id` },
    ]);
    expect(answers[0]?.status).toBe(200);
    const listed = dataOf(
      await server.gql<{
        unmatchedVendorEvents: {
          totalCount: number;
          nodes: Array<{
            vendor: string;
            providerId: string;
            recipient: string;
            eventType: string;
            vendorEventType: string;
          }>;
        };
      }>(
        `{ unmatchedVendorEvents(first: 50) { totalCount nodes { vendor providerId recipient eventType vendorEventType } } }`,
      ),
    ).unmatchedVendorEvents;
    expect(listed.nodes).toContainEqual(
      expect.objectContaining({
        vendor: vendor.toUpperCase(),
        providerId: providerOf(vendor).id,
        recipient,
        eventType: 'DELIVERY_BOUNCED',
      }),
    );
    // Nothing to suppress on the word of an event that belongs to no delivery of ours.
    expect(await suppression(recipient)).toBeUndefined();
  });
});
