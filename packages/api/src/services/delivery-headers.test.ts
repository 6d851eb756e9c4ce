import { deliveryHeaders, rfc5322Date, type HeaderSource } from './delivery-headers';

const sentAt = new Date('2026-12-07T14:48:15.123Z');

const base: HeaderSource = {
  to: ['ann@example.com', '"Bo, Jr" <bo@example.com>'],
  cc: [],
  replyTo: null,
  subject: 'Invoice 42',
  messageId: null,
  sentAt: null,
  from: null,
};

describe('deliveryHeaders', () => {
  it.each<{ case: string; source: Partial<HeaderSource>; headers: Array<[string, string]> }>([
    {
      case: 'a queued delivery: no From, Message-ID or Date yet',
      source: {},
      headers: [
        ['To', 'ann@example.com, "Bo, Jr" <bo@example.com>'],
        ['Subject', 'Invoice 42'],
      ],
    },
    {
      case: 'a delivered one with every header',
      source: {
        cc: ['cy@example.com'],
        replyTo: 'help@example.com',
        messageId: '<abc@mail.example.com>',
        sentAt,
        from: { fromEmail: 'noreply@example.com', fromName: 'Example Shop' },
      },
      headers: [
        ['From', 'Example Shop <noreply@example.com>'],
        ['To', 'ann@example.com, "Bo, Jr" <bo@example.com>'],
        ['Cc', 'cy@example.com'],
        ['Reply-To', 'help@example.com'],
        ['Subject', 'Invoice 42'],
        ['Message-ID', '<abc@mail.example.com>'],
        ['Date', 'Mon, 07 Dec 2026 14:48:15 +0000'],
      ],
    },
    {
      case: 'a From without a name',
      source: { from: { fromEmail: 'noreply@example.com', fromName: '' } },
      headers: [
        ['From', 'noreply@example.com'],
        ['To', 'ann@example.com, "Bo, Jr" <bo@example.com>'],
        ['Subject', 'Invoice 42'],
      ],
    },
    {
      case: 'a quoted From name',
      source: { from: { fromEmail: 'a@example.com', fromName: 'Shop, Inc.' } },
      headers: [
        ['From', '"Shop, Inc." <a@example.com>'],
        ['To', 'ann@example.com, "Bo, Jr" <bo@example.com>'],
        ['Subject', 'Invoice 42'],
      ],
    },
  ])('$case', ({ source, headers }) => {
    const result = deliveryHeaders({ ...base, ...source });
    expect(result.map((header) => [header.name, header.value])).toEqual(headers);
  });

  it('never writes a Bcc header', () => {
    const names = deliveryHeaders({ ...base, cc: ['c@example.com'], sentAt }).map((header) => header.name);
    expect(names).not.toContain('Bcc');
  });
});

describe('rfc5322Date', () => {
  it('writes the UTC time with a numeric zone', () => {
    expect(rfc5322Date(sentAt)).toBe('Mon, 07 Dec 2026 14:48:15 +0000');
  });
});
