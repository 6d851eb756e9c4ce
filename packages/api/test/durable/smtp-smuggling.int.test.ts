import { startRawSmtpRecorder, type RawSmtpRecorder } from '@mail-providers/mailer-core/test-support';
import { dataOf } from '../support/test-agent';
import { startTestServer, testSecret, type TestServer } from '../support/test-server';
import { DELIVERY, eventually, FAST_QUEUE_ENV, SEND_EMAIL } from './durable-support';

/** What an SMTP smuggling attempt puts in a body: the end of DATA, then a second message's envelope. */
const SMUGGLED =
  'Hello\r.\r\nMAIL FROM:<ceo@victim.test>\r\nRCPT TO:<target@victim.test>\r\nDATA\r\nforged\n.\nafter';

/**
 * sendEmail over HTTP through the durable queue to an SMTP server that records the bytes on the wire:
 * whatever line ends a body holds, it arrives as text inside the one message, never as commands.
 */
describe('SMTP smuggling through sendEmail', () => {
  let server: TestServer;
  let recorder: RawSmtpRecorder;

  beforeAll(async () => {
    server = await startTestServer({ env: FAST_QUEUE_ENV });
    recorder = await startRawSmtpRecorder({ authReply: '235 2.7.0 Authentication successful' });
    dataOf(
      await server.gql('mutation ($input: ProviderInput!) { createProvider(input: $input) { id } }', {
        input: {
          type: 'SMTP',
          name: 'recorder',
          host: recorder.host,
          port: recorder.port,
          username: 'app',
          password: testSecret('smtp'),
          encryption: 'NONE',
          fromEmail: 'noreply@sender.test',
          fromName: 'Sender',
          serviceType: 'PRIMARY',
          status: 'ACTIVE',
        },
      }),
    );
  });

  afterAll(async () => {
    await server?.close();
    await recorder?.close();
  });

  it('sends bare CR and LF in text and html as CRLF, so the body never ends DATA early', async () => {
    const before = recorder.dataSections.length;
    const sender = await server.tokenAgent(['SEND', 'READ']);
    const { sendEmail } = dataOf(
      await sender.gql<{ sendEmail: { id: string } }>(SEND_EMAIL, {
        input: { to: ['ann@example.com'], subject: 'Smuggling', text: SMUGGLED, html: `<p>${SMUGGLED}</p>` },
      }),
    );
    await eventually('the delivery to be SENT', async () => {
      const { delivery } = dataOf(await sender.gql<{ delivery: { status: string } }>(DELIVERY, sendEmail));
      return delivery.status === 'SENT' ? true : undefined;
    });

    const [data] = await recorder.waitForDataSections(before + 1).then((all) => all.slice(before));
    const wire = data?.toString('latin1') ?? '';
    const body = wire.slice(0, -'\r\n.\r\n'.length);
    expect(wire.endsWith('\r\n.\r\n')).toBe(true);
    // No line ends but CRLF, so no receiver, however lenient, sees a line of its own in a bare CR or LF.
    expect(body.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // No lone dot on a line before the real end: a leading dot is doubled.
    expect(body).not.toMatch(/\r\n\.\r\n/);
    expect(body).not.toMatch(/(^|\r\n)\.(?!\.)/);
    // One message, one envelope: the forged MAIL FROM stayed in the body.
    const commands = recorder.sessions
      .map((bytes) => bytes.toString('latin1'))
      .join('')
      .replace(wire, '');
    expect(commands.match(/^MAIL FROM:/gim)).toHaveLength(1);
    expect(body).toContain('MAIL FROM:<ceo@victim.test>');
  });
});
