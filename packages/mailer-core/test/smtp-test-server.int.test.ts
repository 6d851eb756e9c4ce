import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import SMTPConnection from 'nodemailer/lib/smtp-connection';
import { SMTP_REPLIES, startSmtpTestServer, startTarpit, type SmtpDropStage } from '../src/test-support';

const password = 'pw-' + randomBytes(8).toString('hex');

/** One raw exchange with nodemailer's low-level client: connect, optional login with a chosen method, one message. */
async function exchange(
  port: number,
  login: { method: 'PLAIN' | 'LOGIN'; user: string; pass: string } | undefined,
  to: string[],
): Promise<{ accepted: string[]; rejected: string[] }> {
  const connection = new SMTPConnection({
    host: '127.0.0.1',
    port,
    ignoreTLS: true,
  });
  try {
    await new Promise<void>((resolve, reject) => {
      connection.once('error', reject);
      connection.connect(() => resolve());
    });
    if (login) {
      // nodemailer reads the SASL method from the login data, which its types leave out.
      const credentials: SMTPConnection.Credentials & { method: string } = {
        user: login.user,
        pass: login.pass,
        method: login.method,
      };
      await new Promise<void>((resolve, reject) =>
        connection.login(credentials, (error) => (error ? reject(error) : resolve())),
      );
    }
    return await new Promise((resolve, reject) =>
      connection.send({ from: 'a@mailer.test', to }, 'Subject: t\r\n\r\nbody\r\n', (error, info) =>
        error ? reject(error) : resolve({ accepted: info.accepted, rejected: info.rejected }),
      ),
    );
  } finally {
    connection.quit();
  }
}

/**
 * Speaks SMTP over a raw socket: reads the greeting, then sends the commands one at a time and collects
 * each final reply line, until the commands run out or the server hangs up.
 */
async function rawSession(port: number, commands: string[]): Promise<{ replies: string[]; closed: boolean }> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffered = '';
  let closed = false;
  let wake: (() => void) | undefined;
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    wake?.();
  });
  socket.on('close', () => {
    closed = true;
    wake?.();
  });
  socket.on('error', () => undefined);
  const nextReply = async (): Promise<string | undefined> => {
    for (;;) {
      // A reply ends with a line whose code is followed by a space (`250-` lines continue it).
      const last = /^\d{3}(?: .*)?\r\n/m.exec(buffered);
      if (last) {
        buffered = buffered.slice(last.index + last[0].length);
        return last[0].trim();
      }
      if (closed) return undefined;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  const replies: string[] = [];
  try {
    for (const command of [undefined, ...commands]) {
      if (command !== undefined) socket.write(`${command}\r\n`);
      const reply = await nextReply();
      if (reply === undefined) break;
      replies.push(reply);
    }
    return { replies, closed };
  } finally {
    socket.destroy();
  }
}

describe('SMTP test server', () => {
  it.each(['PLAIN', 'LOGIN'] as const)(
    'accepts AUTH %s for a configured user and records it',
    async (method) => {
      const server = await startSmtpTestServer({ users: { ann: password } });
      try {
        await exchange(server.port, { method, user: 'ann', pass: password }, ['x@example.com']);
        const [message] = await server.waitForMessages(1);
        expect(message?.authUser).toBe('ann');
        expect(message?.raw.toString()).toContain('Subject: t');
        expect(server.logins).toEqual([{ method, username: 'ann', ok: true }]);
      } finally {
        await server.close();
      }
    },
  );

  it('refuses a wrong password and mail without login', async () => {
    const server = await startSmtpTestServer({ users: { ann: password } });
    try {
      await expect(
        exchange(server.port, { method: 'LOGIN', user: 'ann', pass: 'wrong-' + password }, ['x@example.com']),
      ).rejects.toMatchObject({ responseCode: 535 });
      await expect(exchange(server.port, undefined, ['x@example.com'])).rejects.toMatchObject({
        responseCode: 530,
      });
      expect(server.messages).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('changes its script at run time, recipient by recipient', async () => {
    const server = await startSmtpTestServer();
    try {
      server.fail({ rcptByAddress: { 'NoBody@Example.com': SMTP_REPLIES.userUnknown } });
      const partial = await exchange(server.port, undefined, ['nobody@example.com', 'ann@example.com']);
      expect(partial).toEqual({ accepted: ['ann@example.com'], rejected: ['nobody@example.com'] });

      server.reset();
      const clean = await exchange(server.port, undefined, ['nobody@example.com']);
      expect(clean.accepted).toEqual(['nobody@example.com']);
    } finally {
      await server.close();
    }
  });

  it.each<[SmtpDropStage, number]>([
    ['mailFrom', 1],
    ['rcpt', 2],
    ['data', 3],
  ])('cuts the connection without a reply at dropAt %s', async (dropAt, answered) => {
    const server = await startSmtpTestServer({ script: { dropAt } });
    try {
      const session = await rawSession(server.port, [
        'EHLO client.test',
        'MAIL FROM:<a@mailer.test>',
        'RCPT TO:<x@example.com>',
        'DATA',
      ]);
      expect(session.closed).toBe(true);
      expect(session.replies.map((reply) => reply.slice(0, 3))).toEqual([
        '220',
        ...Array(answered).fill('250'),
      ]);
      expect(server.messages).toHaveLength(0);
    } finally {
      await server.close();
    }
  });

  it('goes down and comes back on the same port', async () => {
    const server = await startSmtpTestServer();
    try {
      const port = server.port;
      await server.stop();
      await expect(exchange(port, undefined, ['x@example.com'])).rejects.toThrow(/ECONNREFUSED/);
      await server.start();
      expect(server.port).toBe(port);
      await exchange(port, undefined, ['x@example.com']);
      expect(server.messages).toHaveLength(1);
    } finally {
      await server.close();
    }
  });

  it('has a tarpit that accepts a connection and never says a word', async () => {
    const tarpit = await startTarpit();
    try {
      const socket = connect(tarpit.port, tarpit.host);
      const received: Buffer[] = [];
      socket.on('data', (chunk: Buffer) => received.push(chunk));
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      socket.write('EHLO client\r\n');
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(received).toHaveLength(0);
      expect(tarpit.openConnections).toBe(1);
      socket.destroy();
    } finally {
      await tarpit.close();
    }
  });
});
