import { createMailer, type Logger } from '../src';
import {
  echoingRefusal,
  secretEchoes,
  secretRevealedIn,
  startRawSmtpRecorder,
  startSmtpTestServer,
  type RawSmtpRecorder,
  type SecretEcho,
  type SmtpTestServer,
} from '../src/test-support';
import { smtpProvider } from './support/smtp-fixtures';

/** Every character an encoder treats specially: quote, backslash, space, =, &, <, >, +, /, ', non-ASCII. */
const PASSWORD = `pä"ss w\\rd=&<1>+/'é😀x`;
const TIMEOUTS = { connectMs: 2_000, greetingMs: 2_000, socketMs: 5_000 };

let smtp: SmtpTestServer;
const recorders: RawSmtpRecorder[] = [];

beforeAll(async () => {
  smtp = await startSmtpTestServer({ users: { app: PASSWORD } });
});

afterAll(async () => {
  await smtp.close();
  await Promise.all(recorders.map((recorder) => recorder.close()));
});

/** Every string in a value, at any depth: each is checked on its own, as it would be stored or shown. */
function stringsIn(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsIn(item, found);
  else if (value instanceof Date) return found;
  else if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) stringsIn(item, found);
  return found;
}

/** A server that refuses the login with the password echoed in `echo`. */
async function echoingServer(echo: SecretEcho): Promise<{ host: string; port: number }> {
  const refusal = echoingRefusal(echo);
  if (refusal.server === 'smtp-server') {
    smtp.fail({ auth: refusal.reply });
    return smtp;
  }
  const recorder = await startRawSmtpRecorder({ authReply: refusal.authReply });
  recorders.push(recorder);
  return recorder;
}

describe.each(secretEchoes(PASSWORD))('a server echoing the password as $encoding', (echo) => {
  it('gets it into no failure and no log line', async () => {
    // The echo does carry the password, so a leak would show.
    expect(secretRevealedIn(`535 5.7.8 Authentication failed for ${echo.text}`, PASSWORD)).not.toEqual([]);
    const server = await echoingServer(echo);
    const provider = smtpProvider(server, { username: 'app', password: PASSWORD });
    const lines: unknown[] = [];
    const write = (level: string) => (obj: object, msg?: string) => lines.push({ level, obj, msg });
    const logger: Logger = {
      debug: write('debug'),
      info: write('info'),
      warn: write('warn'),
      error: write('error'),
    };
    const mailer = createMailer({ providers: [provider], logger, timeouts: TIMEOUTS });
    try {
      const verified = await mailer.verify(provider);
      const sent = await mailer.send({ to: 'ann@example.org', subject: 'Hello', text: 'Hi' });

      expect(verified.failure).toMatchObject({ category: 'AUTH', smtpCode: 535 });
      expect(sent.failure).toMatchObject({ category: 'AUTH', smtpCode: 535 });
      // The reply did come back, and lost the password only.
      expect(verified.failure?.message).toContain('Authentication failed for');
      expect(verified.failure?.message).toContain('[redacted]');
      expect(sent.failure?.message).toContain('[redacted]');
      expect(lines.length).toBeGreaterThan(0);

      for (const text of stringsIn({ verified, sent, lines })) {
        expect({ text, revealedAs: secretRevealedIn(text, PASSWORD) }).toEqual({ text, revealedAs: [] });
      }
    } finally {
      await mailer.close();
      smtp.reset();
    }
  });
});
