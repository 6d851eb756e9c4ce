import { randomUUID } from 'node:crypto';
import {
  sampleVendorPayload,
  startVendorEmulator,
  vendorSigner,
  type VendorEmulator,
} from '@mail-providers/mailer-core/test-support';
import { apiInput } from '../providers/provider-support';
import { dataOf } from '../support/test-agent';
import { startTestServer, type TestServer } from '../support/test-server';
import { postWebhook } from './inbound-support';

const FIELDS = 'id webhookSecretSet inboundWebhookUrl';
const CREATE = `mutation ($input: ProviderInput!) { createProvider(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $input: ProviderInput!) { updateProvider(id: $id, input: $input) { ${FIELDS} } }`;

interface ProviderView {
  id: string;
  webhookSecretSet: boolean;
  inboundWebhookUrl: string | null;
}

let server: TestServer;
let emulator: VendorEmulator;

beforeAll(async () => {
  server = await startTestServer({ env: { LOG_LEVEL: 'info' } });
  emulator = await startVendorEmulator();
});

afterAll(async () => {
  await emulator?.close();
  await server?.close();
});

async function create(input: Record<string, unknown>): Promise<ProviderView> {
  return dataOf(await server.gql<{ createProvider: ProviderView }>(CREATE, { input })).createProvider;
}

function smtpProviderInput(): Record<string, unknown> {
  return {
    ...apiInput(emulator, 'sendgrid', { status: 'INACTIVE' }),
    type: 'SMTP',
    apiVendor: null,
    username: 'app',
    encryption: 'NONE',
  };
}

describe('the provider fields', () => {
  it('takes a write-only webhook secret, says whether one is set and where the vendor posts', async () => {
    const signer = vendorSigner('mailgun');
    const input = apiInput(emulator, 'mailgun', { status: 'INACTIVE' });
    const created = await create({ ...input, webhookSecret: signer.secret });
    expect(created).toEqual({
      id: created.id,
      webhookSecretSet: true,
      inboundWebhookUrl: `${server.url}/webhooks/mailgun/${created.id}`,
    });

    // Omitted keeps it; cleared removes it; both at once is refused with the field named.
    const kept = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: created.id,
        input: { ...input, fromName: 'Kept' },
      }),
    );
    expect(kept.updateProvider.webhookSecretSet).toBe(true);
    const both = await server.gql(UPDATE, {
      id: created.id,
      input: { ...input, webhookSecret: 'x-new', clearWebhookSecret: true },
    });
    expect(both.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.clearWebhookSecret' }],
    });
    const cleared = dataOf(
      await server.gql<{ updateProvider: ProviderView }>(UPDATE, {
        id: created.id,
        input: { ...input, clearWebhookSecret: true },
      }),
    );
    expect(cleared.updateProvider.webhookSecretSet).toBe(false);

    // The secret is sealed at rest, and never in an answer, a log line or the audit log (which names the field).
    const { rows } = await server.db.query<{ webhook_secret_ciphertext: string | null }>(
      `SELECT webhook_secret_ciphertext FROM providers WHERE id = $1`,
      [created.id],
    );
    expect(rows[0]?.webhook_secret_ciphertext).toBeNull();
    const audit = await server.db.query<{ action: string; fields: string[] }>(
      `SELECT action, fields FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [created.id],
    );
    expect(audit.rows.map((row) => row.fields.includes('webhookSecret'))).toEqual([true, false, true]);
    const everything = [
      JSON.stringify(audit.rows),
      ...server.logs,
      JSON.stringify(kept),
      JSON.stringify(cleared),
    ];
    expect(everything.some((text) => text.includes(signer.secret))).toBe(false);
  });

  it('has no inbound URL for a plain SMTP provider, which takes no webhook secret', async () => {
    const plain = await create(smtpProviderInput());
    expect(plain).toMatchObject({ webhookSecretSet: false, inboundWebhookUrl: null });
    const refused = await server.gql(CREATE, {
      input: { ...smtpProviderInput(), name: 'smtp-2', webhookSecret: 'x-key' },
    });
    expect(refused.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.webhookSecret' }],
    });
  });

  it("gives a vendor's SMTP relay (known by its host) the vendor's inbound URL, and takes its events", async () => {
    const signer = vendorSigner('sendgrid');
    const relay = await create({
      ...smtpProviderInput(),
      type: 'API_SMTP',
      name: 'sendgrid-relay',
      host: 'smtp.sendgrid.net',
      port: 587,
      username: 'apikey',
      encryption: 'STARTTLS',
      webhookSecret: signer.secret,
    });
    expect(relay).toEqual({
      id: relay.id,
      webhookSecretSet: true,
      inboundWebhookUrl: `${server.url}/webhooks/sendgrid/${relay.id}`,
    });
    const payload = sampleVendorPayload('sendgrid', [
      { kind: 'hard_bounce', recipient: 'relay@example.net', messageIdHeader: '<unknown@example.com>' },
    ]);
    const answer = await postWebhook(server, 'sendgrid', relay.id, signer.sign(payload));
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toMatchObject({ events: 1, unmatched: 1 });
  });

  it('uses PUBLIC_URL for the inbound URL when it is set', async () => {
    const behindProxy = await startTestServer({ env: { PUBLIC_URL: 'https://mail.example.com/' } });
    try {
      const created = dataOf(
        await behindProxy.gql<{ createProvider: ProviderView }>(CREATE, {
          input: apiInput(emulator, 'resend', { status: 'INACTIVE' }),
        }),
      ).createProvider;
      expect(created.inboundWebhookUrl).toBe(`https://mail.example.com/webhooks/resend/${created.id}`);
    } finally {
      await behindProxy.close();
    }
  });
});

describe('the route', () => {
  let sendgridId: string;
  const signer = vendorSigner('sendgrid');
  const payload = sampleVendorPayload('sendgrid', [{ kind: 'delivered', recipient: 'a@example.net' }]);

  beforeAll(async () => {
    sendgridId = (
      await create({
        ...apiInput(emulator, 'sendgrid', { status: 'INACTIVE' }),
        webhookSecret: signer.secret,
      })
    ).id;
  });

  it.each<[string, () => string, () => string]>([
    ['an unknown vendor', () => 'mandrill', () => sendgridId],
    ['a vendor not in lower case', () => 'SendGrid', () => sendgridId],
    ['an unknown provider', () => 'sendgrid', () => randomUUID()],
    ['a provider id that is no UUID', () => 'sendgrid', () => 'not-an-id'],
    ['a provider of another vendor', () => 'mailgun', () => sendgridId],
  ])('answers 404 without detail for %s', async (_case, vendor, providerId) => {
    const answer = await postWebhook(server, vendor(), providerId(), signer.sign(payload));
    expect(answer).toEqual({ status: 404, text: 'Not found.' });
  });

  it('answers 404 for a plain SMTP provider', async () => {
    const plain = await create({ ...smtpProviderInput(), name: 'smtp-route' });
    expect((await postWebhook(server, 'sendgrid', plain.id, signer.sign(payload))).status).toBe(404);
  });

  it('refuses with 401 while the provider has no webhook secret, and the log says what to do', async () => {
    const bare = await create({
      ...apiInput(emulator, 'sendgrid', { status: 'INACTIVE', name: 'no-secret' }),
    });
    const answer = await postWebhook(server, 'sendgrid', bare.id, signer.sign(payload));
    expect(answer).toEqual({ status: 401, text: 'Unauthorized.' });
    expect(server.logs.some((line) => line.includes(bare.id) && line.includes('has no webhook secret'))).toBe(
      true,
    );
  });

  it('takes the raw body whatever its content type, needs no session or CSRF header, and refuses a huge body', async () => {
    const signed = signer.sign(payload);
    const asText = await postWebhook(server, 'sendgrid', sendgridId, {
      ...signed,
      headers: { ...signed.headers, 'content-type': 'text/plain' },
    });
    expect(asText.status).toBe(200);
    const huge = await postWebhook(server, 'sendgrid', sendgridId, {
      headers: signed.headers,
      body: 'x'.repeat(3 * 1024 * 1024),
    });
    expect(huge.status).toBe(413);
  });

  it('lists unmatched events a page at a time, newest first', async () => {
    const older = sampleVendorPayload('sendgrid', [{ kind: 'hard_bounce', recipient: 'older@example.net' }]);
    const newer = sampleVendorPayload('sendgrid', [{ kind: 'soft_bounce', recipient: 'newer@example.net' }]);
    expect((await postWebhook(server, 'sendgrid', sendgridId, signer.sign(older))).status).toBe(200);
    expect((await postWebhook(server, 'sendgrid', sendgridId, signer.sign(newer))).status).toBe(200);
    const PAGE = `query ($after: String) { unmatchedVendorEvents(first: 1, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } nodes { recipient eventType vendorEventType providerName } } }`;
    type Page = {
      unmatchedVendorEvents: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string };
        nodes: Array<{ recipient: string }>;
      };
    };
    const first = dataOf(await server.gql<Page>(PAGE)).unmatchedVendorEvents;
    expect(first.nodes.map((node) => node.recipient)).toEqual(['newer@example.net']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const second = dataOf(
      await server.gql<Page>(PAGE, { after: first.pageInfo.endCursor }),
    ).unmatchedVendorEvents;
    expect(second.nodes.map((node) => node.recipient)).toEqual(['older@example.net']);
    expect(second.totalCount).toBe(first.totalCount);
    const bad = await server.gql(PAGE, { after: 'not-a-cursor' });
    expect(bad.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'after' }],
    });
    const anonymous = await server.gql(PAGE, {}, { as: 'anonymous' });
    expect(anonymous.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('answers 400 to a signed body that is not the vendor format', async () => {
    const signed = signer.sign({ not: 'an array' });
    expect((await postWebhook(server, 'sendgrid', sendgridId, signed)).status).toBe(400);
  });
});
