import { bytesToCrlf, sentAsIs, toCrlf } from '../src/line-endings';

describe('toCrlf and bytesToCrlf', () => {
  it.each([
    { case: 'no line break', input: 'one line', expected: 'one line' },
    { case: 'CRLF already', input: 'a\r\nb\r\n', expected: 'a\r\nb\r\n' },
    { case: 'a bare LF', input: 'a\nb', expected: 'a\r\nb' },
    { case: 'a bare CR', input: 'a\rb', expected: 'a\r\nb' },
    { case: 'LF CR, two line ends', input: 'a\n\rb', expected: 'a\r\n\r\nb' },
    { case: 'CR CR LF', input: 'a\r\r\nb', expected: 'a\r\n\r\nb' },
    {
      case: 'a smuggled end of data',
      input: 'a\r.\r\nMAIL FROM:<x@y>',
      expected: 'a\r\n.\r\nMAIL FROM:<x@y>',
    },
    { case: 'a dot after a bare LF', input: 'a\n.\nb', expected: 'a\r\n.\r\nb' },
    { case: 'a CR at the very end', input: 'end\r', expected: 'end\r\n' },
    { case: 'an LF at the very start', input: '\nstart', expected: '\r\nstart' },
  ])('turns $case into CRLF line ends', ({ input, expected }) => {
    expect(toCrlf(input)).toBe(expected);
    expect(bytesToCrlf(Buffer.from(input, 'latin1')).toString('latin1')).toBe(expected);
  });

  it('hands back the same string and buffer when there is nothing to change', () => {
    const text = 'a\r\nb';
    const bytes = Buffer.from(text);
    expect(toCrlf(text)).toBe(text);
    expect(bytesToCrlf(bytes)).toBe(bytes);
  });

  it.each([
    ['message/rfc822', true],
    [' Message/Global', true],
    ['text/plain', false],
    ['application/octet-stream', false],
  ])('knows whether %s goes over SMTP as it is', (contentType, expected) => {
    expect(sentAsIs(contentType)).toBe(expected);
  });
});
