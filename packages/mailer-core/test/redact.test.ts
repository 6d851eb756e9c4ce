import { redact } from '../src/redact';
import { secretEchoes, secretRevealedIn } from '../src/test-support';

/** Every character an encoder treats specially: quote, backslash, space, =, &, <, >, +, /, ', non-ASCII. */
const AWKWARD = `pä"ss w\\rd=&<1>+/'é😀x`;
const PLAIN = 'Sup3rS3cretValue';

const BEFORE = '535 5.7.8 Error: authentication failed for ';
const AFTER = ' (see https://example.com/help?a=1&b=%20)';

const table = [AWKWARD, PLAIN].flatMap((secret) => secretEchoes(secret).map((echo) => ({ secret, ...echo })));

describe('redact', () => {
  it.each(table)('takes out $encoding of $secret', ({ secret, text }) => {
    const echoed = `${BEFORE}${text}${AFTER}`;
    // The encoding does carry the secret, or the row proves nothing.
    expect(secretRevealedIn(echoed, secret)).not.toEqual([]);

    const redacted = redact(echoed, [secret]);

    expect(secretRevealedIn(redacted, secret)).toEqual([]);
    expect(redacted).toContain('[redacted]');
    expect(redacted.startsWith(BEFORE)).toBe(true);
    expect(redacted.endsWith(AFTER)).toBe(true);
  });

  it('takes a whole echoed string out where it is the secret alone', () => {
    for (const { secret, encoding, text } of table) {
      if (
        encoding.includes('inside a blob') ||
        encoding.includes('AUTH PLAIN') ||
        encoding.includes('Basic')
      ) {
        continue;
      }
      expect({ encoding, redacted: redact(`<${text}>`, [secret]) }).toEqual({
        encoding,
        redacted: '<[redacted]>',
      });
    }
  });

  it('takes out the login blobs of a secret too short to be found inside base64 alone', () => {
    const secret = 'k3y!';
    const plain = Buffer.from(`\0app\0${secret}`).toString('base64');
    const basic = Buffer.from(`app:${secret}`).toString('base64');
    const secrets = [secret, `\0app\0${secret}`, `app:${secret}`];
    expect(redact(`AUTH PLAIN ${plain} / Basic ${basic}`, secrets)).toBe(
      'AUTH PLAIN [redacted] / Basic [redacted]',
    );
  });

  it.each([
    { secret: 'ab', text: 'about abba and ab' },
    { secret: 'abc', text: 'abc, abcd and YWJj' },
    { secret: '', text: 'anything at all' },
  ])(
    'leaves text alone for the secret "$secret", too short to tell from ordinary words',
    ({ secret, text }) => {
      expect(redact(text, [secret])).toBe(text);
    },
  );

  it('still takes out a secret of four characters', () => {
    expect(redact('key k3y! or k3y%21 or azN5IQ==', ['k3y!'])).toBe(
      'key [redacted] or [redacted] or [redacted]',
    );
  });

  it('leaves encoded text that is not the secret as it is', () => {
    const text =
      '535-5.7.8 Username and Password not accepted: UGFzc3dvcmQ6 &amp; %20 =3D caf\\u00e9 a+b=\r\n535 5.7.8 end';
    expect(redact(text, [PLAIN, AWKWARD, `\0app\0${PLAIN}`])).toBe(text);
  });

  it('takes out both of two secrets whose forms overlap', () => {
    expect(redact('x abcdef12ghij x', ['abcdef12', 'ef12ghij'])).toBe('x [redacted] x');
  });

  it('sees a secret added to a list it was given before', () => {
    const secrets = ['first-secret'];
    expect(redact('second-secret', secrets)).toBe('second-secret');
    secrets.push('second-secret');
    expect(redact('second-secret', secrets)).toBe('[redacted]');
  });
});
