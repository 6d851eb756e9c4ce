import { startSmtpTestServer, type SmtpTestServer } from '@mail-providers/mailer-core/test-support';
import type { StoredEvent } from '../../src/events/event-types';
import { EmailAlertChannel } from '../../src/webhooks/email-channel';
import type { OutboundEvent } from '../../src/webhooks/event-text';
import { addSmtpProvider, FAST_QUEUE_ENV } from '../durable/durable-support';
import { dataOf, type TestAgent } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';

const ADDRESSES = ['ops@example.org', 'oncall@example.org'];

function paused(providerId: string, providerName: string): StoredEvent {
  return {
    id: '5d0c8a4e-3b1f-4e6a-9c7d-1a2b3c4d5e6f',
    seq: '1',
    type: 'PROVIDER_PAUSED',
    occurredAt: new Date('2026-12-07T18:04:05Z'),
    deliveryId: null,
    recipient: null,
    providerId,
    payload: { providerName, category: 'AUTH', consecutiveFailures: 3 },
  };
}

describe('EmailAlertChannel', () => {
  let server: TestServer;
  let admin: TestAgent;
  let first: SmtpTestServer;
  let second: SmtpTestServer;
  let firstId: string;
  let secondId: string;
  let channel: EmailAlertChannel;

  beforeAll(async () => {
    server = await startTestServer({ env: FAST_QUEUE_ENV });
    admin = await server.admin();
    const password = testSecret('smtp');
    first = await startSmtpTestServer({ users: { app: password } });
    second = await startSmtpTestServer();
    firstId = (await addSmtpProvider(admin, first, { name: 'first', password })).id;
    secondId = (await addSmtpProvider(admin, second, { name: 'second', serviceType: 'FALLBACK' })).id;
    channel = server.app.services.get(EmailAlertChannel);
  });

  afterAll(async () => {
    await server?.close();
    await first?.close();
    await second?.close();
  });

  beforeEach(() => {
    first.reset();
    second.reset();
    first.messages.length = 0;
    second.messages.length = 0;
  });

  it('skips the provider the event is about: the alert goes out through the next one', async () => {
    await channel.send(paused(firstId, 'first'), ADDRESSES, 'en');
    const [received] = await second.waitForMessages(1);
    expect(first.messages).toHaveLength(0);
    expect(received?.rcptTo.sort()).toEqual([...ADDRESSES].sort());
    const raw = received?.raw.toString('utf8') ?? '';
    expect(raw).toMatch(/^Subject: Mail Providers: Provider paused\r?$/m);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
    expect(raw).toContain('"first" is skipped for now after 3 failures in a row (last: authentication');
    expect(raw).toContain(`Provider: ${firstId}`);
  });

  it('writes in the endpoint’s language, and uses the primary when the event is about the fallback', async () => {
    const event: StoredEvent = {
      ...paused(secondId, 'second'),
      type: 'FALLBACK_USED',
      payload: { providerName: 'second', deliveredByName: 'first', category: 'TIMEOUT' },
    };
    await channel.send(event, ADDRESSES, 'tr');
    const [received] = await first.waitForMessages(1);
    expect(second.messages).toHaveLength(0);
    // Non-ASCII subjects and bodies are encoded on the wire; the Turkish subject is there encoded.
    expect(received?.raw.toString('utf8')).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('sends the test event through the chain as it is', async () => {
    const test: OutboundEvent = {
      id: 'a1b2c3d4-0000-4000-8000-000000000001',
      type: 'WEBHOOK_TEST',
      occurredAt: new Date(),
    };
    await channel.send(test, ['ops@example.org'], 'en');
    await first.waitForMessages(1);
    expect(second.messages).toHaveLength(0);
  });

  it('says which provider failed and why when the only other provider refuses', async () => {
    second.fail({ mailFrom: { code: 550, message: '5.7.1 Sender refused' } });
    await expect(channel.send(paused(firstId, 'first'), ADDRESSES, 'en')).rejects.toThrow(
      /^No provider could send the alert email: "second" .*5\.7\.1 Sender refused/,
    );
    expect(first.messages).toHaveLength(0);
  });

  it('says plainly that email alerts need another provider when none is left', async () => {
    dataOf(await admin.gql(`mutation ($id: ID!) { deleteProvider(id: $id) }`, { id: secondId }));
    await expect(channel.send(paused(firstId, 'first'), ADDRESSES, 'en')).rejects.toThrow(
      'No provider could send the alert email: no active provider is left besides the one this event is about; email alerts need a second working provider.',
    );
    expect(first.messages).toHaveLength(0);
  });
});
