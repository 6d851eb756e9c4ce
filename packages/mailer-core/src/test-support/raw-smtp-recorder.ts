import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface RawSmtpRecorderOptions {
  /**
   * Offer PIPELINING and, as RFC 2920 lets a server do, hold the replies to MAIL FROM and RCPT TO until
   * DATA arrives: a client that waits for each reply before the next command never gets to DATA.
   */
  pipelining?: boolean;
  /**
   * Offer AUTH PLAIN and LOGIN and answer every login with this reply (its lines joined by CRLF). Replies
   * go out byte for byte: each character is one byte (Latin-1).
   */
  authReply?: string;
}

export interface RawSmtpRecorder {
  readonly host: string;
  readonly port: number;
  /** Every byte each client sent, one buffer per connection, in the order connections came. */
  readonly sessions: Buffer[];
  /** The bytes of each message after 354, final `\r\n.\r\n` included, exactly as they came. */
  readonly dataSections: Buffer[];
  waitForDataSections(count: number, timeoutMs?: number): Promise<Buffer[]>;
  close(): Promise<void>;
}

const TERMINATOR = Buffer.from('\r\n.\r\n');

/**
 * An SMTP server on 127.0.0.1 that speaks just enough of the protocol to take a message (220, 250 to
 * EHLO, MAIL FROM and RCPT TO, 354 to DATA, 250 after the content, 221 to QUIT) and keeps the bytes it
 * received untouched, so tests can see what went over the wire. The content ends only at CRLF.CRLF,
 * as RFC 5321 says, whatever bare CRs or LFs come before it.
 */
export async function startRawSmtpRecorder(options: RawSmtpRecorderOptions = {}): Promise<RawSmtpRecorder> {
  const sessions: Buffer[] = [];
  const dataSections: Buffer[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<() => void>();

  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const session = sessions.push(Buffer.alloc(0)) - 1;
    let pending = Buffer.alloc(0);
    let inData = false;
    let held: string[] = [];
    /** What the next line of a login answers: nothing, the PLAIN blob, LOGIN's username or its password. */
    let login: 'none' | 'plain' | 'user' | 'password' = 'none';

    const reply = (line: string, hold = false): void => {
      held.push(`${line}\r\n`);
      if (hold) return;
      socket.write(held.join(''), 'latin1');
      held = [];
    };
    const loginDone = (): void => {
      login = 'none';
      reply(options.authReply ?? '235 2.7.0 Authentication successful');
    };

    const command = (line: string): void => {
      if (login === 'plain' || login === 'password') return loginDone();
      if (login === 'user') {
        login = 'password';
        return reply('334 UGFzc3dvcmQ6');
      }
      const verb = line.split(' ', 1)[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') {
        const extensions = ['recorder.test'];
        if (options.pipelining) extensions.push('PIPELINING');
        if (options.authReply !== undefined) extensions.push('AUTH PLAIN LOGIN');
        extensions.push('8BITMIME');
        reply(extensions.map((text, i) => `250${i < extensions.length - 1 ? '-' : ' '}${text}`).join('\r\n'));
      } else if (verb === 'HELO' || verb === 'RSET' || verb === 'NOOP') {
        reply('250 2.0.0 Ok');
      } else if (verb === 'AUTH') {
        const [, method, initial] = line.split(' ');
        if (method?.toUpperCase() === 'PLAIN') {
          if (initial !== undefined) return loginDone();
          login = 'plain';
          return reply('334 ');
        }
        login = 'user';
        reply('334 VXNlcm5hbWU6');
      } else if (verb === 'MAIL' || verb === 'RCPT') {
        reply('250 2.1.0 Ok', options.pipelining === true);
      } else if (verb === 'DATA') {
        inData = true;
        reply('354 End data with <CR><LF>.<CR><LF>');
      } else if (verb === 'QUIT') {
        reply('221 2.0.0 Bye');
        socket.end();
      } else {
        reply('502 5.5.2 Error: command not recognized');
      }
    };

    socket.on('data', (chunk: Buffer) => {
      sessions[session] = Buffer.concat([sessions[session] ?? Buffer.alloc(0), chunk]);
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        if (inData) {
          // The content starts right after the CRLF of DATA, so a lone dot may end it at once.
          const withLineStart = Buffer.concat([Buffer.from('\r\n'), pending]);
          const end = withLineStart.indexOf(TERMINATOR);
          if (end < 0) return;
          const length = end + TERMINATOR.length - 2;
          dataSections.push(pending.subarray(0, length));
          pending = pending.subarray(length);
          inData = false;
          reply('250 2.0.0 Ok: queued as RAW1');
          for (const wake of [...waiters]) wake();
          continue;
        }
        const lineEnd = pending.indexOf('\r\n');
        if (lineEnd < 0) return;
        const line = pending.subarray(0, lineEnd).toString('latin1');
        pending = pending.subarray(lineEnd + 2);
        command(line);
      }
    });
    socket.write('220 recorder.test ESMTP\r\n');
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    sessions,
    dataSections,
    waitForDataSections(count, timeoutMs = 5_000) {
      return new Promise<Buffer[]>((resolve, reject) => {
        const check = (): void => {
          if (dataSections.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(dataSections.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`raw recorder: ${dataSections.length} of ${count} messages after ${timeoutMs} ms`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
