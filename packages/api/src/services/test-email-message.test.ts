import { buildTestEmail, formatSentAt } from './test-email-message';

const SENT_AT = new Date('2026-03-04T05:06:07.000Z');

describe('buildTestEmail', () => {
  it.each([
    {
      locale: 'en' as const,
      subject: 'Mail Providers test email via acme',
      says: [
        'sent by the provider "acme" (SMTP, smtp.acme.test:587) alone, without fallback',
        '4 March 2026',
        '2026-03-04T05:06:07.000Z',
      ],
    },
    {
      locale: 'tr' as const,
      subject: 'Mail Providers test e-postası (acme üzerinden)',
      says: [
        '"acme" sağlayıcısı (SMTP, smtp.acme.test:587) tek başına, yedeğe geçmeden',
        '4 Mart 2026',
        '2026-03-04T05:06:07.000Z',
      ],
    },
  ])('names the provider and the time through one provider ($locale)', ({ locale, subject, says }) => {
    const message = buildTestEmail({
      to: 'ops@example.org',
      sentAt: SENT_AT,
      locale,
      route: { kind: 'provider', name: 'acme', type: 'SMTP', host: 'smtp.acme.test', port: 587 },
    });
    expect(message.subject).toBe(subject);
    expect(message.to).toBe('ops@example.org');
    for (const text of says) {
      expect(message.text).toContain(text);
    }
  });

  it.each([
    {
      locale: 'en' as const,
      says: ['through the CRM delivery chain', 'The chain at that moment: 1. crm, 2. main.'],
    },
    { locale: 'tr' as const, says: ['CRM teslim zinciri üzerinden', 'O anki zincir: 1. crm, 2. main.'] },
  ])('lists the chain in order when sent through it ($locale)', ({ locale, says }) => {
    const message = buildTestEmail({
      to: 'ops@example.org',
      sentAt: SENT_AT,
      locale,
      route: { kind: 'chain', channel: 'CRM', providerNames: ['crm', 'main'] },
    });
    for (const text of says) expect(message.text).toContain(text);
  });

  it('escapes provider names in the HTML part', () => {
    const message = buildTestEmail({
      to: 'ops@example.org',
      sentAt: SENT_AT,
      locale: 'en',
      route: { kind: 'provider', name: '<b>x</b> & "y"', type: 'SMTP', host: 'h.test', port: 25 },
    });
    expect(message.html).toContain('&lt;b&gt;x&lt;/b&gt; &amp; &quot;y&quot;');
    expect(message.html).not.toContain('<b>x</b>');
  });

  it('formats the time in UTC for each language', () => {
    expect(formatSentAt(SENT_AT, 'en')).toMatch(/^4 March 2026 at 05:06:07 UTC/);
    expect(formatSentAt(SENT_AT, 'tr')).toMatch(/^4 Mart 2026 05:06:07 UTC/);
  });
});
