import { MessageValidationError, prepareMessage, toEnvelope } from '../src/prepare-message';
import type { Message } from '../src/message';

const base: Message = { to: 'ann@example.com', subject: 'Hello', text: 'Hi' };

describe('prepareMessage', () => {
  it.each<[string, Partial<Message>, Partial<ReturnType<typeof prepareMessage>>]>([
    ['a plain address', { to: 'ann@example.com' }, { to: [{ address: 'ann@example.com' }] }],
    [
      'a display name',
      { to: 'Ann Lee <ann@example.com>' },
      { to: [{ address: 'ann@example.com', name: 'Ann Lee' }] },
    ],
    [
      'a quoted name with a comma',
      { to: '"Lee, Ann" <ann@example.com>' },
      { to: [{ address: 'ann@example.com', name: 'Lee, Ann' }] },
    ],
    ['angle brackets only', { to: '<ann@example.com>' }, { to: [{ address: 'ann@example.com' }] }],
    [
      'a comma-separated string',
      { to: 'ann@example.com, Bob <bob@example.com>; cy@example.com' },
      {
        to: [
          { address: 'ann@example.com' },
          { address: 'bob@example.com', name: 'Bob' },
          { address: 'cy@example.com' },
        ],
      },
    ],
    [
      'a list of strings and objects',
      { to: ['ann@example.com', { address: 'bob@example.com', name: 'Bob' }] },
      { to: [{ address: 'ann@example.com' }, { address: 'bob@example.com', name: 'Bob' }] },
    ],
    ['duplicates removed (case-insensitive)', { to: ['a@x.io', 'A@X.io'] }, { to: [{ address: 'a@x.io' }] }],
    [
      'cc, bcc and reply-to',
      { cc: 'c@x.io', bcc: ['d@x.io'], replyTo: 'Help <help@x.io>' },
      {
        cc: [{ address: 'c@x.io' }],
        bcc: [{ address: 'd@x.io' }],
        replyTo: { address: 'help@x.io', name: 'Help' },
      },
    ],
    ['absent cc and bcc are empty lists', {}, { cc: [], bcc: [], headers: {}, attachments: [] }],
    ['html only', { text: undefined, html: '<p>Hi</p>' }, { html: '<p>Hi</p>' }],
    ['a given Message-ID kept', { messageId: '<abc.1@example.com>' }, { messageId: '<abc.1@example.com>' }],
    [
      'a Message-ID without brackets gets them',
      { messageId: 'abc.2@example.com' },
      { messageId: '<abc.2@example.com>' },
    ],
    ['custom headers kept', { headers: { 'X-Campaign': 'spring' } }, { headers: { 'X-Campaign': 'spring' } }],
    [
      'text with bare CRs and LFs, every line then ended with CRLF',
      { text: 'a\r.\r\nMAIL FROM:<x@y>\nb\rc\r\n' },
      { text: 'a\r\n.\r\nMAIL FROM:<x@y>\r\nb\r\nc\r\n' },
    ],
    [
      'html with bare CRs and LFs, every line then ended with CRLF',
      { html: '<p>a</p>\r.\r<p>b</p>\n.\n' },
      { html: '<p>a</p>\r\n.\r\n<p>b</p>\r\n.\r\n' },
    ],
    [
      'metadata',
      { metadata: { deliveryId: 'd-1', tenant_7: 'x' } },
      { metadata: { deliveryId: 'd-1', tenant_7: 'x' } },
    ],
  ])('reads %s', (_name, change, expected) => {
    expect(prepareMessage({ ...base, ...change })).toMatchObject(expected);
  });

  it.each<[string, Partial<Message>, string]>([
    ['no recipient', { to: [] }, 'to'],
    ['an empty recipient string', { to: ' , ' }, 'to'],
    ['a bad address', { to: 'not-an-address' }, 'to'],
    ['a bad cc address', { cc: 'ann@' }, 'cc'],
    ['a line break in an address', { to: 'ann@example.com\r\nBcc: x@evil.io' }, 'to'],
    ['a bad reply-to', { replyTo: 'nobody' }, 'replyTo'],
    ['a missing subject', { subject: '' }, 'subject'],
    ['a blank subject', { subject: '   ' }, 'subject'],
    ['a subject with a line break', { subject: 'Hi\r\nBcc: x@evil.io' }, 'subject'],
    ['neither text nor html', { text: undefined, html: undefined }, 'text'],
    ['a header value with LF', { headers: { 'X-A': 'a\nb' } }, 'headers.X-A'],
    ['a header value with CR', { headers: { 'X-A': 'a\rb' } }, 'headers.X-A'],
    ['a header name with a space', { headers: { 'X A': 'v' } }, 'headers.X A'],
    ['a header name with CR/LF', { headers: { 'X-A\r\nBcc': 'v' } }, 'headers.X-A\r\nBcc'],
    ['a header the mailer sets', { headers: { From: 'boss@x.io' } }, 'headers.From'],
    ['a malformed Message-ID', { messageId: 'no at sign' }, 'messageId'],
    ['a metadata value with a space', { metadata: { deliveryId: 'a b' } }, 'metadata.deliveryId'],
    ['an empty metadata value', { metadata: { deliveryId: '' } }, 'metadata.deliveryId'],
    ['a metadata key with a dot', { metadata: { 'a.b': 'v' } }, 'metadata.a.b'],
    [
      'more than 10 metadata pairs',
      { metadata: Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, 'v'])) },
      'metadata',
    ],
    [
      'an attachment without a name',
      { attachments: [{ filename: '', content: 'x' }] },
      'attachments[0].filename',
    ],
    [
      'an attachment with a bad content type',
      { attachments: [{ filename: 'a.txt', content: 'x', contentType: 'text' }] },
      'attachments[0].contentType',
    ],
    [
      'an inline image with a bad cid',
      { attachments: [{ filename: 'a.png', content: 'x', cid: 'has space' }] },
      'attachments[0].cid',
    ],
  ])('refuses %s, naming the field', (_name, change, field) => {
    let thrown: unknown;
    try {
      prepareMessage({ ...base, ...change });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(MessageValidationError);
    expect(thrown).toMatchObject({ field, message: expect.stringContaining(field) });
  });

  it('generates one Message-ID on the given domain, different per message', () => {
    const a = prepareMessage(base, { messageIdDomain: 'mail.example.com' });
    const b = prepareMessage(base, { messageIdDomain: 'mail.example.com' });
    expect(a.messageId).toMatch(/^<[0-9a-f-]{36}@mail\.example\.com>$/);
    expect(a.messageId).not.toBe(b.messageId);
  });

  it('falls back to the host name for the Message-ID domain', () => {
    expect(prepareMessage(base).messageId).toMatch(/^<[0-9a-f-]{36}@[A-Za-z0-9.-]+>$/);
  });

  it('turns attachments into bytes with content types', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47]);
    const prepared = prepareMessage({
      ...base,
      attachments: [
        { filename: 'notes.txt', content: 'çay ☕' },
        { filename: 'logo.png', content: png, cid: '<logo@x>' },
        { filename: 'data.bin', content: png },
        { filename: 'report', content: 'x', contentType: 'application/pdf' },
      ],
    });
    expect(prepared.attachments).toEqual([
      { filename: 'notes.txt', content: Buffer.from('çay ☕', 'utf8'), contentType: 'text/plain' },
      { filename: 'logo.png', content: png, contentType: 'image/png', cid: 'logo@x' },
      { filename: 'data.bin', content: png, contentType: 'application/octet-stream' },
      { filename: 'report', content: Buffer.from('x'), contentType: 'application/pdf' },
    ]);
  });

  it('ends every line of an attached message with CRLF and leaves other files as they are', () => {
    const prepared = prepareMessage({
      ...base,
      attachments: [
        { filename: 'fwd.eml', content: 'Subject: x\n\nbody\r.\r\n', contentType: 'message/rfc822' },
        { filename: 'notes.txt', content: 'a\r.\rb\n' },
      ],
    });
    expect(prepared.attachments.map((attachment) => attachment.content.toString())).toEqual([
      'Subject: x\r\n\r\nbody\r\n.\r\n',
      'a\r.\rb\n',
    ]);
  });
});

describe('toEnvelope', () => {
  it("sets From to the provider's From Email and From Name, the rest unchanged", () => {
    const prepared = prepareMessage(base);
    expect(toEnvelope(prepared, { fromEmail: 'noreply@x.io', fromName: 'X' })).toEqual({
      ...prepared,
      from: { address: 'noreply@x.io', name: 'X' },
    });
    expect(toEnvelope(prepared, { fromEmail: 'noreply@x.io', fromName: '' }).from).toEqual({
      address: 'noreply@x.io',
    });
  });
});
