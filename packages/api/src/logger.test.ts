import { Writable } from 'node:stream';
import { secretsIn } from './graphql/error-logging';
import { createLogger, redactText } from './logger';

function capture() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { lines, logger: createLogger({ logLevel: 'info' }, sink) };
}

describe('log redaction', () => {
  const secret = `s3cr3t-${Date.now()}`;

  it.each([
    ['a top-level password', { password: secret }],
    ['a nested password', { input: { password: secret } }],
    ['an API key two levels down', { provider: { config: { apiKey: secret } } }],
    ['an Authorization header', { req: { headers: { authorization: `Bearer ${secret}` } } }],
    ['a Cookie header', { req: { headers: { cookie: `mp_session=${secret}` } } }],
    ['a Set-Cookie header', { res: { headers: { 'set-cookie': `mp_session=${secret}` } } }],
    ['a token', { token: secret }],
  ])('blanks %s', (_case, fields) => {
    const { lines, logger } = capture();
    logger.info(fields, 'something happened');
    expect(lines.join('')).toContain('[redacted]');
    expect(lines.join('')).not.toContain(secret);
  });

  it('redactText removes a secret and its base64 form from free text', () => {
    const base64 = Buffer.from(secret).toString('base64');
    const text = `535 auth failed for ${secret} (AUTH PLAIN ${base64})`;
    expect(redactText(text, [secret])).toBe('535 auth failed for [redacted] (AUTH PLAIN [redacted])');
    expect(redactText('short abc', ['abc'])).toBe('short abc');
  });

  it('secretsIn finds the strings under secret-looking names at any depth', () => {
    expect(
      secretsIn({
        email: 'a@example.test',
        password: 'p1',
        input: { name: 'x', apiKey: 'k1', nested: [{ password: 'p2' }] },
        credentials: { token: ['t1', 't2'] },
      }).sort(),
    ).toEqual(['k1', 'p1', 'p2', 't1', 't2']);
  });
});
