import type { EventPayloads, EventType, StoredEvent } from '../events/event-types';
import { eventFacts, eventText, eventTitle, type OutboundEvent, type WebhookLanguage } from './event-text';

const AT = new Date('2026-12-07T18:04:05.678Z');
const DELIVERY = '3f1c2a9e-0b7d-4c55-9a43-1d2e3f4a5b6c';
const PROVIDER = '8a7b6c5d-4e3f-4a1b-9c2d-0e1f2a3b4c5d';

function stored<T extends EventType>(
  type: T,
  payload: EventPayloads[T],
  recipient: string | null,
): StoredEvent {
  const delivery = type.startsWith('DELIVERY_');
  return {
    id: '11111111-2222-4333-8444-555555555555',
    seq: '7',
    type,
    occurredAt: AT,
    deliveryId: delivery ? DELIVERY : null,
    recipient,
    providerId: delivery ? null : PROVIDER,
    payload,
  };
}

const EVENTS: Record<EventType | 'WEBHOOK_TEST', OutboundEvent> = {
  DELIVERY_QUEUED: stored('DELIVERY_QUEUED', { channel: 'CRM' }, 'ann@example.org'),
  DELIVERY_SENT: stored(
    'DELIVERY_SENT',
    { providerId: PROVIDER, providerName: 'Main SMTP', providerMessageId: '<a@b>' },
    'ann@example.org',
  ),
  DELIVERY_FAILED: stored(
    'DELIVERY_FAILED',
    { category: 'AUTH', reason: '535 5.7.8 bad credentials' },
    'ann@example.org',
  ),
  DELIVERY_DELIVERED: stored(
    'DELIVERY_DELIVERED',
    { vendor: 'postmark', providerId: PROVIDER },
    'ann@example.org',
  ),
  DELIVERY_BOUNCED: stored(
    'DELIVERY_BOUNCED',
    { vendor: 'sendgrid', providerId: PROVIDER, bounceType: 'HARD', reason: '550 5.1.1 no such user' },
    'ann@example.org',
  ),
  DELIVERY_COMPLAINED: stored(
    'DELIVERY_COMPLAINED',
    { vendor: 'mailgun', providerId: PROVIDER },
    'ann@example.org',
  ),
  DELIVERY_SUPPRESSED: stored('DELIVERY_SUPPRESSED', { channel: 'DEFAULT' }, 'ann@example.org'),
  PROVIDER_PAUSED: stored(
    'PROVIDER_PAUSED',
    { providerName: 'Main SMTP', category: 'CONNECTION', consecutiveFailures: 3 },
    null,
  ),
  PROVIDER_RECOVERED: stored('PROVIDER_RECOVERED', { providerName: 'Main SMTP' }, null),
  FALLBACK_USED: stored(
    'FALLBACK_USED',
    { providerName: 'Main SMTP', deliveredByName: 'Backup API', category: 'TIMEOUT' },
    null,
  ),
  PROVIDER_OAUTH_REVOKED: stored('PROVIDER_OAUTH_REVOKED', { providerName: 'Office 365' }, null),
  WEBHOOK_TEST: { id: '99999999-2222-4333-8444-555555555555', type: 'WEBHOOK_TEST', occurredAt: AT },
};

const SENTENCES: Array<[EventType | 'WEBHOOK_TEST', WebhookLanguage, string]> = [
  ['DELIVERY_QUEUED', 'en', 'Mail to ann@example.org was queued for sending on the CRM channel.'],
  [
    'DELIVERY_QUEUED',
    'tr',
    'ann@example.org adresine gönderilen e-posta CRM kanalında gönderilmek üzere kuyruğa alındı.',
  ],
  ['DELIVERY_SENT', 'en', 'Mail to ann@example.org was accepted by "Main SMTP".'],
  [
    'DELIVERY_SENT',
    'tr',
    'ann@example.org adresine gönderilen e-posta "Main SMTP" sağlayıcısı tarafından kabul edildi.',
  ],
  [
    'DELIVERY_FAILED',
    'en',
    'Mail to ann@example.org could not be sent: authentication failure (535 5.7.8 bad credentials).',
  ],
  [
    'DELIVERY_FAILED',
    'tr',
    'ann@example.org adresine gönderilen e-posta gönderilemedi: kimlik doğrulama hatası (535 5.7.8 bad credentials).',
  ],
  [
    'DELIVERY_DELIVERED',
    'en',
    'Mail to ann@example.org reached the recipient’s mail server (reported by Postmark).',
  ],
  [
    'DELIVERY_DELIVERED',
    'tr',
    'ann@example.org adresine gönderilen e-posta alıcının e-posta sunucusuna ulaştı (bildiren: Postmark).',
  ],
  [
    'DELIVERY_BOUNCED',
    'en',
    'Mail to ann@example.org bounced (hard bounce: 550 5.1.1 no such user; reported by SendGrid).',
  ],
  [
    'DELIVERY_BOUNCED',
    'tr',
    'ann@example.org adresine gönderilen e-posta geri döndü (kalıcı geri dönüş: 550 5.1.1 no such user; bildiren: SendGrid).',
  ],
  [
    'DELIVERY_COMPLAINED',
    'en',
    'The recipient ann@example.org marked the mail as spam (reported by Mailgun).',
  ],
  [
    'DELIVERY_COMPLAINED',
    'tr',
    'ann@example.org alıcısı e-postayı istenmeyen posta olarak işaretledi (bildiren: Mailgun).',
  ],
  [
    'DELIVERY_SUPPRESSED',
    'en',
    'Mail to ann@example.org was not sent: the address is on the suppression list.',
  ],
  [
    'DELIVERY_SUPPRESSED',
    'tr',
    'ann@example.org adresine gönderilen e-posta gönderilmedi: adres gönderim engeli listesinde.',
  ],
  [
    'PROVIDER_PAUSED',
    'en',
    '"Main SMTP" is skipped for now after 3 failures in a row (last: connection failure); it is tried again after a pause.',
  ],
  [
    'PROVIDER_PAUSED',
    'tr',
    '"Main SMTP" sağlayıcısı art arda 3 hatadan sonra şimdilik atlanıyor (son hata: bağlantı hatası); bir süre sonra yeniden denenecek.',
  ],
  ['PROVIDER_RECOVERED', 'en', '"Main SMTP" delivers again and is back in the chain.'],
  ['PROVIDER_RECOVERED', 'tr', '"Main SMTP" sağlayıcısı yeniden teslim ediyor ve zincire geri döndü.'],
  ['FALLBACK_USED', 'en', 'Mail went out through "Backup API" because "Main SMTP" failed (timeout).'],
  [
    'FALLBACK_USED',
    'tr',
    '"Main SMTP" sağlayıcısı başarısız olduğu için e-posta "Backup API" üzerinden gönderildi (son hata: zaman aşımı).',
  ],
  [
    'PROVIDER_OAUTH_REVOKED',
    'en',
    '"Office 365" cannot send: its OAuth2 sign-in was revoked or expired. Open the provider in Security > Mail Providers and click Reconnect.',
  ],
  [
    'PROVIDER_OAUTH_REVOKED',
    'tr',
    '"Office 365" sağlayıcısı gönderemiyor: OAuth2 oturumu iptal edilmiş ya da süresi dolmuş. Sağlayıcıyı Güvenlik > E-posta Sağlayıcıları’nda açın ve Yeniden bağlan’a tıklayın.',
  ],
  ['WEBHOOK_TEST', 'en', 'Test event from Mail Providers: this channel receives its notifications.'],
  ['WEBHOOK_TEST', 'tr', 'Mail Providers test olayı: bu kanal bildirimleri alıyor.'],
];

describe('eventText', () => {
  it.each(SENTENCES)('%s in %s', (type, language, expected) => {
    expect(eventText(EVENTS[type], language)).toBe(expected);
  });

  it('has a sentence and a title for every event type in every language', () => {
    const types = Object.keys(EVENTS);
    for (const language of ['en', 'tr'] as const) {
      expect(SENTENCES.filter(([, l]) => l === language).map(([type]) => type)).toEqual(types);
      for (const event of Object.values(EVENTS)) expect(eventTitle(event.type, language)).not.toBe('');
    }
  });

  it.each<[string, WebhookLanguage, OutboundEvent, string]>([
    [
      'a delivery event without a recipient',
      'en',
      stored('DELIVERY_SUPPRESSED', { channel: 'DEFAULT' }, null),
      'A message was not sent: its recipients are on the suppression list.',
    ],
    [
      'a failure without a category',
      'tr',
      stored('DELIVERY_FAILED', { category: null, reason: null }, null),
      'Bir e-posta gönderilemedi: neden belirtilmedi.',
    ],
    [
      'a soft bounce without a reason',
      'en',
      stored(
        'DELIVERY_BOUNCED',
        { vendor: 'brevo', providerId: PROVIDER, bounceType: 'SOFT', reason: null },
        'b@example.org',
      ),
      'Mail to b@example.org bounced (soft bounce; reported by Brevo).',
    ],
    [
      'a fallback while the primary was skipped',
      'en',
      stored('FALLBACK_USED', { providerName: 'Main', deliveredByName: 'Backup', category: null }, null),
      'Mail went out through "Backup" because "Main" is skipped after repeated failures.',
    ],
  ])('words %s', (_name, language, event, expected) => {
    expect(eventText(event, language)).toBe(expected);
  });

  it('keeps a vendor’s long, multi-line reason to one line of at most 300 characters', () => {
    const reason = `550 5.1.1\n  ${'x'.repeat(400)}`;
    const facts = eventFacts(
      stored(
        'DELIVERY_BOUNCED',
        { vendor: 'resend', providerId: PROVIDER, bounceType: 'HARD', reason },
        null,
      ),
    );
    expect(facts.reason).toMatch(/^550 5\.1\.1 x+…$/);
    expect(facts.reason).toHaveLength(300);
  });

  it('ignores payload values of the wrong shape (an older or foreign payload read from jsonb)', () => {
    const foreign: StoredEvent['payload'] = JSON.parse(
      '{"vendor":"acme","bounceType":"MAYBE","category":"NOPE","consecutiveFailures":"3"}',
    ) as StoredEvent['payload'];
    const event: StoredEvent = {
      ...stored(
        'DELIVERY_BOUNCED',
        { vendor: 'resend', providerId: PROVIDER, bounceType: 'HARD', reason: null },
        null,
      ),
      payload: foreign,
    };
    expect(eventFacts(event)).toMatchObject({
      vendor: null,
      bounceType: null,
      category: null,
      consecutiveFailures: null,
    });
    expect(eventText(event, 'en')).toBe('A message bounced (bounce; reported by the provider).');
  });
});
