import type { StoredEvent } from '../events/event-types';
import type { OutboundEvent, WebhookLanguage } from './event-text';
import { escapeMrkdwn, slackMessage } from './slack-format';

const AT = new Date('2026-12-07T18:04:05.678Z');

const bounced: StoredEvent = {
  id: '11111111-2222-4333-8444-555555555555',
  seq: '12',
  type: 'DELIVERY_BOUNCED',
  occurredAt: AT,
  deliveryId: '3f1c2a9e-0b7d-4c55-9a43-1d2e3f4a5b6c',
  recipient: 'ann@example.org',
  providerId: '8a7b6c5d-4e3f-4a1b-9c2d-0e1f2a3b4c5d',
  payload: {
    vendor: 'mailgun',
    providerId: '8a7b6c5d-4e3f-4a1b-9c2d-0e1f2a3b4c5d',
    bounceType: 'HARD',
    reason: '<!channel> mailbox full & gone > <https://evil.example|click>',
  },
};

const paused: StoredEvent = {
  id: '21111111-2222-4333-8444-555555555555',
  seq: '13',
  type: 'PROVIDER_PAUSED',
  occurredAt: AT,
  deliveryId: null,
  recipient: null,
  providerId: '8a7b6c5d-4e3f-4a1b-9c2d-0e1f2a3b4c5d',
  payload: { providerName: 'R&D <relay>', category: 'AUTH', consecutiveFailures: 5 },
};

const test: OutboundEvent = {
  id: '31111111-2222-4333-8444-555555555555',
  type: 'WEBHOOK_TEST',
  occurredAt: AT,
};

describe('slackMessage', () => {
  it.each<[string, OutboundEvent, WebhookLanguage, string]>([
    [
      'a delivery event, its words escaped',
      bounced,
      'en',
      '*Mail bounced*: Mail to ann@example.org bounced (hard bounce: &lt;!channel&gt; mailbox full &amp; gone &gt; &lt;https://evil.example|click&gt;; reported by Mailgun).\n' +
        'delivery `3f1c2a9e-0b7d-4c55-9a43-1d2e3f4a5b6c` · `DELIVERY_BOUNCED` · 2026-12-07 18:04:05 UTC',
    ],
    [
      'a provider event in Turkish',
      paused,
      'tr',
      '*Sağlayıcı duraklatıldı*: "R&amp;D &lt;relay&gt;" sağlayıcısı art arda 5 hatadan sonra şimdilik atlanıyor (son hata: kimlik doğrulama hatası); bir süre sonra yeniden denenecek.\n' +
        'sağlayıcı `8a7b6c5d-4e3f-4a1b-9c2d-0e1f2a3b4c5d` · `PROVIDER_PAUSED` · 2026-12-07 18:04:05 UTC',
    ],
    [
      'the test event',
      test,
      'en',
      '*Test event*: Test event from Mail Providers: this channel receives its notifications.\n`WEBHOOK_TEST` · 2026-12-07 18:04:05 UTC',
    ],
  ])('%s', (_name, event, language, expected) => {
    expect(slackMessage(event, language)).toEqual({ text: expected });
  });

  it('leaves no raw <, > or bare & in the text, so nothing becomes a link or a mention', () => {
    for (const event of [bounced, paused]) {
      const { text } = slackMessage(event, 'en');
      expect(text).not.toMatch(/[<>]/);
      expect(text.replace(/&(amp|lt|gt);/g, '')).not.toContain('&');
    }
  });

  it.each([
    ['a & b', 'a &amp; b'],
    ['<@U123>', '&lt;@U123&gt;'],
    ['&lt;', '&amp;lt;'],
  ])('escapes %j as %j', (input, expected) => {
    expect(escapeMrkdwn(input)).toBe(expected);
  });
});
