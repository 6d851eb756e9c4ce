import { createServer, type Server, type Socket } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { silentLogger } from '../src/logger';
import type { Envelope } from '../src/message';
import type { FailureCategory, TransportResult } from '../src/result';
import { createTestCertificate, startSmtpTestServer } from '../src/test-support';
import { installEnvelopePipelining } from '../src/transports/smtp/envelope-pipelining';
import { createSmtpTransport } from '../src/transports/smtp/smtp-transport';
import type { Transport } from '../src/transports/transport';
import { smtpProvider, testEnvelope } from './support/smtp-fixtures';

/** The replies a scripted server gives to one transaction; recipients beyond `rcpt` get 250. */
interface Script {
  mail: string;
  rcpt: string[];
  data: string;
  end: string;
}

const OK: Script = {
  mail: '250 2.1.0 Ok',
  rcpt: [],
  data: '354 End data with <CR><LF>.<CR><LF>',
  end: '250 2.0.0 Ok: queued as 7F3A2',
};

/** What one transaction looked like from the server's side. */
interface Transaction {
  commands: string[];
  /** The server's writes for the transaction, from MAIL FROM to its last reply. */
  replyWrites: number;
  /** What came after 354, once the final dot came; undefined until then, or when no content was invited. */
  content?: string;
}

interface ScriptedServer {
  host: string;
  port: number;
  transactions: Transaction[];
  close(): Promise<void>;
}

/**
 * A small RFC 5321 server with scripted replies. With `pipelining` it offers PIPELINING and, as RFC 2920
 * lets a server do, holds its replies to a transaction's commands until DATA arrives, then answers them in
 * one write: a client that waited for MAIL FROM's reply before going on would wait forever. Without it,
 * it answers each command at once.
 */
async function scriptedServer(pipelining: boolean, script: Script): Promise<ScriptedServer> {
  const transactions: Transaction[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = '';
    let held: string[] = [];
    let current: Transaction | undefined;
    let inContent = false;
    const send = (replies: string[]): void => {
      if (replies.length === 0) return;
      if (current) current.replyWrites += 1;
      socket.write(replies.map((reply) => `${reply}\r\n`).join(''));
    };
    const answer = (reply: string, hold: boolean): void => {
      held.push(reply);
      if (hold) return;
      send(held);
      held = [];
    };
    const command = (line: string): void => {
      const verb = line.slice(0, 4).toUpperCase();
      if (verb === 'EHLO') {
        answer(`250-scripted.test${pipelining ? '\r\n250-PIPELINING' : ''}\r\n250 8BITMIME`, false);
      } else if (verb === 'MAIL') {
        current = { commands: [line], replyWrites: 0 };
        transactions.push(current);
        answer(script.mail, pipelining);
      } else if (verb === 'RCPT' && current) {
        const index = current.commands.filter((sent) => sent.startsWith('RCPT')).length;
        current.commands.push(line);
        answer(script.rcpt[index] ?? '250 2.1.5 Ok', pipelining);
      } else if (verb === 'DATA' && current) {
        current.commands.push(line);
        answer(script.data, false);
        inContent = script.data.startsWith('3');
      } else if (verb === 'QUIT') {
        answer('221 2.0.0 Bye', false);
        socket.end();
      } else {
        answer(
          verb === 'RSET' || verb === 'NOOP' ? '250 2.0.0 Ok' : '503 5.5.1 Bad sequence of commands',
          false,
        );
      }
    };
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('latin1');
      for (;;) {
        if (inContent && current) {
          const end = buffer.startsWith('.\r\n') ? 0 : buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          current.content = end === 0 ? '' : buffer.slice(0, end);
          buffer = buffer.slice(end === 0 ? 3 : end + 5);
          inContent = false;
          answer(script.end, false);
          current = undefined;
          continue;
        }
        const lineEnd = buffer.indexOf('\r\n');
        if (lineEnd < 0) return;
        const line = buffer.slice(0, lineEnd);
        buffer = buffer.slice(lineEnd + 2);
        command(line);
      }
    });
    socket.write('220 scripted.test ESMTP\r\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    host: '127.0.0.1',
    port: address.port,
    transactions,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function envelope(to: string[]): Envelope {
  return testEnvelope({ to: to.map((address) => ({ address })), subject: 'Pipelined' });
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

/** Sends one message to `to` through a scripted server; the result and what the server saw. */
async function sendThrough(
  pipelining: boolean,
  script: Script,
  to: string[],
): Promise<{ result: TransportResult; transactions: Transaction[] }> {
  const server = await scriptedServer(pipelining, script);
  const transport: Transport = createSmtpTransport(smtpProvider(server), {
    timeouts: { connectMs: 2_000, greetingMs: 2_000, socketMs: 3_000 },
    logger: silentLogger,
  });
  cleanups.push(async () => {
    await transport.close();
    await server.close();
  });
  const result = await transport.send(envelope(to));
  return { result, transactions: server.transactions };
}

const TWO = ['ann@example.com', 'bob@example.com'];
const userUnknown = (address: string) =>
  `550 5.1.1 <${address}>: Recipient address rejected: User unknown in local recipient table`;

describe('SMTP envelope pipelining (RFC 2920)', () => {
  it('is installed on the nodemailer this package depends on', () => {
    expect(installEnvelopePipelining()).toBe(true);
  });

  it('leaves stock sessions under a nodemailer release it was not checked against', async () => {
    await jest.isolateModulesAsync(async () => {
      const fresh = await import('../src/transports/smtp/envelope-pipelining');
      expect(fresh.installEnvelopePipelining('8.0.12')).toBe(false);
      expect(fresh.installEnvelopePipelining(fresh.PIPELINING_NODEMAILER_RELEASE)).toBe(true);
    });
  });

  it('sends MAIL FROM, every RCPT TO and DATA together, then the content: two round trips a message', async () => {
    const { result, transactions } = await sendThrough(true, OK, TWO);

    expect(result).toMatchObject({ ok: true, accepted: TWO, rejected: [], providerMessageId: '7F3A2' });
    expect(transactions).toHaveLength(1);
    expect(transactions[0]?.commands).toEqual([
      'MAIL FROM:<sender@mailer.test>',
      'RCPT TO:<ann@example.com>',
      'RCPT TO:<bob@example.com>',
      'DATA',
    ]);
    // The group's replies (with 354) in one write, the final reply in another.
    expect(transactions[0]?.replyWrites).toBe(2);
    expect(transactions[0]?.content).toContain('Hello there');
  });

  it('sends one command per round trip to a server that does not offer PIPELINING', async () => {
    const { result, transactions } = await sendThrough(false, OK, TWO);

    expect(result).toMatchObject({ ok: true, accepted: TWO });
    expect(transactions[0]?.replyWrites).toBe(5);
  });

  it.each([
    ['STARTTLS', 'starttls', 'starttls'],
    ['implicit TLS', 'implicit_tls', 'ssl_tls'],
  ] as const)('pipelines inside %s too', async (_name, security, encryption) => {
    const certificate = await createTestCertificate();
    const smtp = await startSmtpTestServer({ security, certificate });
    const transport = createSmtpTransport(
      { ...smtpProvider(smtp), encryption, tls: { ca: certificate.cert } },
      { timeouts: { connectMs: 3_000, greetingMs: 3_000, socketMs: 5_000 }, logger: silentLogger },
    );
    cleanups.push(async () => {
      await transport.close();
      await smtp.close();
    });
    // How many replies the session awaits as it sends DATA: MAIL FROM's, the RCPTs' and DATA's own when
    // pipelined, DATA's alone otherwise.
    const session = SMTPConnection.prototype as unknown as {
      _sendCommand(this: { _responseActions: unknown[] }, command: string): void;
    };
    const sendCommand = session._sendCommand;
    const awaitedAtData: number[] = [];
    session._sendCommand = function (command) {
      if (command === 'DATA') awaitedAtData.push(this._responseActions.length);
      sendCommand.call(this, command);
    };
    try {
      const result = await transport.send(envelope(TWO));
      expect(result).toMatchObject({ ok: true, accepted: TWO });
    } finally {
      session._sendCommand = sendCommand;
    }
    expect(awaitedAtData).toEqual([4]);
    const [received] = await smtp.waitForMessages(1);
    expect(received?.secure).toBe(true);
  });

  /**
   * What the server received after 354: the message, an empty one (the lone dot ending a transaction whose
   * envelope failed), or nothing (no content was invited).
   */
  type Content = 'message' | 'empty' | 'none';
  // Each outcome must be what the same server's replies give without pipelining, field for field.
  const cases: Array<[string, Script, string[], FailureCategory | 'sent', Content]> = [
    ['delivered to all', OK, TWO, 'sent', 'message'],
    [
      'one of two recipients refused',
      { ...OK, rcpt: ['250 2.1.5 Ok', userUnknown('bob@example.com')] },
      TWO,
      'sent',
      'message',
    ],
    [
      'sender refused, then the rest refused as out of sequence',
      {
        ...OK,
        mail: '550 5.7.1 <sender@mailer.test>: Sender address rejected: not owned by user',
        rcpt: ['503 5.5.1 Error: need MAIL command', '503 5.5.1 Error: need MAIL command'],
        data: '503 5.5.1 Error: need RCPT command',
      },
      TWO,
      'RELAY_DENIED',
      'none',
    ],
    [
      'every recipient refused, DATA refused',
      {
        ...OK,
        rcpt: [userUnknown('ann@example.com'), userUnknown('bob@example.com')],
        data: '554 5.5.1 Error: no valid recipients',
      },
      TWO,
      'RECIPIENT_REJECTED',
      'none',
    ],
    [
      'every recipient refused, yet DATA invited: ended empty',
      { ...OK, rcpt: [userUnknown('ann@example.com')], end: '554 5.5.1 Error: no valid recipients' },
      ['ann@example.com'],
      'RECIPIENT_REJECTED',
      'empty',
    ],
    [
      'sender refused, yet DATA invited: ended empty',
      {
        ...OK,
        mail: '451 4.3.0 Error: queue file write error',
        rcpt: ['503 5.5.1 Error: need MAIL command'],
      },
      ['ann@example.com'],
      'PROVIDER_UNAVAILABLE',
      'empty',
    ],
    [
      'DATA refused after a good envelope',
      { ...OK, data: '451 4.3.0 Error: queue file write error' },
      ['ann@example.com'],
      'PROVIDER_UNAVAILABLE',
      'none',
    ],
    [
      'content refused after the final dot',
      { ...OK, end: '554 5.6.0 Error: message content rejected' },
      ['ann@example.com'],
      'MESSAGE_REJECTED',
      'message',
    ],
  ];

  it.each(cases)(
    '%s: the same outcome as without pipelining',
    async (_name, script, to, outcome, content) => {
      const pipelined = await sendThrough(true, script, to);
      const stock = await sendThrough(false, script, to);

      expect(pipelined.result).toEqual(stock.result);
      expect(pipelined.result.ok ? 'sent' : pipelined.result.failure.category).toBe(outcome);
      const sent = pipelined.transactions[0];
      expect(sent?.commands.slice(1)).toEqual([...to.map((address) => `RCPT TO:<${address}>`), 'DATA']);
      if (content === 'message') expect(sent?.content).toContain('Hello there');
      else expect(sent?.content).toBe(content === 'empty' ? '' : undefined);
    },
  );
});
