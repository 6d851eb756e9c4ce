import { validateEmailInput, type EmailInputData, type EmailLimits } from './email-input-validation';

const limits: EmailLimits = { maxMessageBytes: 2000, maxRecipients: 3 };
const valid: EmailInputData = { to: ['ann@example.com'], subject: 'Hello', text: 'Hi there' };

describe('validateEmailInput', () => {
  it('accepts a plain message and normalises it', () => {
    const checked = validateEmailInput(
      {
        ...valid,
        to: ['  Ann Smith <ann@example.com> '],
        cc: ['bob@example.org'],
        replyTo: 'help@example.com',
      },
      limits,
    );
    expect(checked).toEqual({
      ok: true,
      email: {
        to: ['"Ann Smith" <ann@example.com>'],
        cc: ['bob@example.org'],
        bcc: [],
        replyTo: 'help@example.com',
        subject: 'Hello',
        text: 'Hi there',
        html: null,
        channel: 'DEFAULT',
        idempotencyKey: null,
        sizeBytes: 13,
      },
    });
  });

  it.each<[string, string[], Partial<EmailInputData>]>([
    ['no recipient', ['to'], { to: [] }],
    ['a bad address', ['to[1]'], { to: ['ann@example.com', 'not-an-address'] }],
    ['a bad cc and bcc', ['cc[0]', 'bcc[0]'], { cc: ['x@'], bcc: ['@y'] }],
    ['too many recipients', ['to'], { to: ['a@x.io', 'b@x.io'], cc: ['c@x.io'], bcc: ['d@x.io'] }],
    ['a bad reply-to', ['replyTo'], { replyTo: 'nobody' }],
    ['an empty subject', ['subject'], { subject: '   ' }],
    ['a subject with a line break', ['subject'], { subject: 'Hi\r\nBcc: x@y.z' }],
    ['a subject that is too long', ['subject'], { subject: 'x'.repeat(999) }],
    ['no body', ['text'], { text: '', html: null }],
    ['a text body over the size limit', ['text'], { text: 'x'.repeat(2100) }],
    ['an html body over the size limit', ['html'], { html: 'é'.repeat(1100), text: 'short' }],
    ['an idempotency key with a space', ['idempotencyKey'], { idempotencyKey: 'a b' }],
    ['an empty idempotency key', ['idempotencyKey'], { idempotencyKey: '' }],
    ['a long idempotency key', ['idempotencyKey'], { idempotencyKey: 'k'.repeat(201) }],
    ['several problems at once', ['to[0]', 'subject', 'text'], { to: ['nope'], subject: '', text: null }],
  ])('refuses %s, naming %j', (_name, fields, change) => {
    const checked = validateEmailInput({ ...valid, ...change }, limits);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems.map((problem) => problem.field)).toEqual(fields);
    for (const problem of checked.problems) expect(problem.message).toMatch(/\.$/);
  });

  it('counts bytes, not characters, against the size limit', () => {
    expect(validateEmailInput({ ...valid, text: 'ü'.repeat(990) }, limits).ok).toBe(true);
    expect(validateEmailInput({ ...valid, text: 'ü'.repeat(1000) }, limits).ok).toBe(false);
  });
});
