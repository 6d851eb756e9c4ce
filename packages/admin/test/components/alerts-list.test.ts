import { mount } from '@vue/test-utils';
import AlertsList from '../../src/components/alerts-list.vue';
import type { AlertEvent } from '../../src/graphql/types';
import type { Locale } from '../../src/i18n';
import { ALERT_CODES } from '../../src/lib/alert-text';
import { logGlobals } from './log-mount-options';

type Params = AlertEvent['params'];

function alert(
  code: string,
  params: Partial<Params>,
  kind: AlertEvent['kind'] = 'CIRCUIT_OPENED',
): AlertEvent {
  const now = new Date().toISOString();
  return {
    id: `${code}-1`,
    kind,
    code,
    params: {
      providerName: 'primary-smtp',
      deliveredByName: null,
      category: null,
      failures: null,
      smtpCode: null,
      enhancedCode: null,
      httpStatus: null,
      ...params,
    },
    providerId: 'p1',
    providerName: 'primary-smtp',
    message: 'The API’s own sentence.',
    occurrences: 1,
    createdAt: now,
    lastSeenAt: now,
    resolvedAt: null,
    webhookStatus: null,
    failure: null,
  };
}

function rendered(locale: Locale, event: AlertEvent): { badge: string; message: string } {
  const wrapper = mount(AlertsList, { props: { alerts: [event] }, global: logGlobals(locale) });
  return {
    badge: wrapper.find('.badge').text(),
    message: wrapper.find('[data-testid="alert-message"]').text(),
  };
}

const CONNECTION = { category: 'CONNECTION', smtpCode: 421, enhancedCode: '4.7.0' } as const;

// Every code in both languages: [case, locale, code, kind, params, expected sentence, expected badge].
const CASES: Array<[string, Locale, string, AlertEvent['kind'], Partial<Params>, string, string]> = [
  [
    'circuit opened after 3 failures',
    'en',
    'CIRCUIT_OPENED',
    'CIRCUIT_OPENED',
    { failures: 3, ...CONNECTION },
    '“primary-smtp” is skipped for now after 3 failures in a row (last: Connection failed, SMTP 421 4.7.0); it is tried again after a pause.',
    'Provider paused',
  ],
  [
    'circuit opened after 3 failures',
    'tr',
    'CIRCUIT_OPENED',
    'CIRCUIT_OPENED',
    { failures: 3, ...CONNECTION },
    '“primary-smtp” sağlayıcısı 3 hata sonrasında şimdilik atlanıyor (son hata: Bağlantı kurulamadı, SMTP 421 4.7.0); bir süre sonra yeniden denenecek.',
    'Sağlayıcı beklemede',
  ],
  [
    'circuit opened after 1 failure',
    'en',
    'CIRCUIT_OPENED',
    'CIRCUIT_OPENED',
    { failures: 1, category: 'AUTH' },
    '“primary-smtp” is skipped for now after 1 failure (last: Authentication failed); it is tried again after a pause.',
    'Provider paused',
  ],
  [
    'circuit opened after 1 failure',
    'tr',
    'CIRCUIT_OPENED',
    'CIRCUIT_OPENED',
    { failures: 1, category: 'AUTH' },
    '“primary-smtp” sağlayıcısı 1 hata sonrasında şimdilik atlanıyor (son hata: Kimlik doğrulama başarısız); bir süre sonra yeniden denenecek.',
    'Sağlayıcı beklemede',
  ],
  [
    'circuit opened with no count or failure kept',
    'en',
    'CIRCUIT_OPENED',
    'CIRCUIT_OPENED',
    {},
    '“primary-smtp” is skipped for now after repeated failures; it is tried again after a pause.',
    'Provider paused',
  ],
  [
    'circuit opened with no count or failure kept',
    'tr',
    'CIRCUIT_OPENED',
    'CIRCUIT_OPENED',
    {},
    '“primary-smtp” sağlayıcısı art arda gelen hatalar sonrasında şimdilik atlanıyor; bir süre sonra yeniden denenecek.',
    'Sağlayıcı beklemede',
  ],
  [
    'circuit closed',
    'en',
    'CIRCUIT_CLOSED',
    'CIRCUIT_CLOSED',
    {},
    '“primary-smtp” delivers again and is back in the chain.',
    'Provider back',
  ],
  [
    'circuit closed',
    'tr',
    'CIRCUIT_CLOSED',
    'CIRCUIT_CLOSED',
    {},
    '“primary-smtp” sağlayıcısı yeniden teslim ediyor ve zincire geri döndü.',
    'Sağlayıcı yeniden çalışıyor',
  ],
  [
    'health reset',
    'en',
    'HEALTH_RESET',
    'CIRCUIT_CLOSED',
    {},
    '“primary-smtp” had its settings changed, so its earlier failures were forgotten; it is tried again.',
    'Health reset',
  ],
  [
    'health reset',
    'tr',
    'HEALTH_RESET',
    'CIRCUIT_CLOSED',
    {},
    '“primary-smtp” sağlayıcısının ayarları değişti; önceki hataları unutuldu ve yeniden deneniyor.',
    'Sağlık sıfırlandı',
  ],
  [
    'fallback used after a failure',
    'en',
    'FALLBACK_USED',
    'FALLBACK_USED',
    { deliveredByName: 'fallback-smtp', category: 'PROVIDER_UNAVAILABLE', httpStatus: 503 },
    'Mail went out through “fallback-smtp” because “primary-smtp” failed (Provider unavailable, HTTP 503).',
    'Fallback used',
  ],
  [
    'fallback used after a failure',
    'tr',
    'FALLBACK_USED',
    'FALLBACK_USED',
    { deliveredByName: 'fallback-smtp', category: 'PROVIDER_UNAVAILABLE', httpStatus: 503 },
    '“primary-smtp” sağlayıcısı başarısız olduğu için e-posta “fallback-smtp” üzerinden gönderildi (son hata: Sağlayıcı kullanılamıyor, HTTP 503).',
    'Yedek kullanıldı',
  ],
  [
    'fallback used while the first was skipped, deliverer unknown',
    'en',
    'FALLBACK_USED',
    'FALLBACK_USED',
    {},
    'Mail went out through another provider because “primary-smtp” is skipped after repeated failures.',
    'Fallback used',
  ],
  [
    'fallback used while the first was skipped, deliverer unknown',
    'tr',
    'FALLBACK_USED',
    'FALLBACK_USED',
    {},
    '“primary-smtp” sağlayıcısı art arda hatalar nedeniyle atlandığı için e-posta başka bir sağlayıcı üzerinden gönderildi.',
    'Yedek kullanıldı',
  ],
  [
    'OAuth2 sign-in revoked',
    'en',
    'OAUTH_REVOKED',
    'OAUTH_REVOKED',
    { category: 'AUTH' },
    '“primary-smtp” cannot send: its Microsoft, Google or other OAuth2 sign-in was revoked or has expired. Open the provider under Security > Mail Providers and choose Reconnect.',
    'Sign-in revoked',
  ],
  [
    'OAuth2 sign-in revoked',
    'tr',
    'OAUTH_REVOKED',
    'OAUTH_REVOKED',
    { category: 'AUTH' },
    '“primary-smtp” sağlayıcısı gönderemiyor: Microsoft, Google ya da başka bir OAuth2 oturumu iptal edilmiş veya süresi dolmuş. Sağlayıcıyı Güvenlik > E-posta Sağlayıcıları altında açın ve Yeniden bağlan’ı seçin.',
    'Oturum iptal edildi',
  ],
  [
    'a webhook endpoint disabled',
    'en',
    'WEBHOOK_DISABLED',
    'WEBHOOK_DISABLED',
    {},
    'The webhook endpoint “primary-smtp” was disabled after failing for too long. Fix the receiver, then enable the endpoint again under Settings > Notifications.',
    'Webhook disabled',
  ],
  [
    'a webhook endpoint disabled',
    'tr',
    'WEBHOOK_DISABLED',
    'WEBHOOK_DISABLED',
    {},
    '“primary-smtp” webhook uç noktası çok uzun süre başarısız olduğu için devre dışı bırakıldı. Alıcıyı düzeltin, ardından uç noktayı Ayarlar > Bildirimler altında yeniden etkinleştirin.',
    'Webhook devre dışı',
  ],
  [
    'a code this panel does not know: the API’s sentence',
    'en',
    'SOMETHING_NEW',
    'FALLBACK_USED',
    {},
    'The API’s own sentence.',
    'Fallback used',
  ],
  [
    'a code this panel does not know: the API’s sentence',
    'tr',
    'SOMETHING_NEW',
    'CIRCUIT_OPENED',
    {},
    'The API’s own sentence.',
    'Sağlayıcı beklemede',
  ],
];

describe('alerts in the reader’s language', () => {
  it('has a case for every code in both languages', () => {
    for (const locale of ['en', 'tr']) {
      const covered = CASES.filter((row) => row[1] === locale).map((row) => row[2]);
      expect(covered).toEqual(expect.arrayContaining([...ALERT_CODES]));
    }
  });

  it.each(CASES)('%s, in %s', (_case, locale, code, kind, params, message, badge) => {
    expect(rendered(locale, alert(code, params, kind))).toEqual({ badge, message });
  });

  it.each([
    ['CIRCUIT_OPENED', 'danger'],
    ['CIRCUIT_CLOSED', 'ok'],
    ['FALLBACK_USED', 'warn'],
    ['OAUTH_REVOKED', 'danger'],
    ['WEBHOOK_DISABLED', 'danger'],
  ] as const)('a %s alert is styled %s', (kind, style) => {
    const wrapper = mount(AlertsList, {
      props: { alerts: [alert(kind, {}, kind)] },
      global: logGlobals('en'),
    });
    expect(wrapper.find('.badge').classes()).toContain(`badge--${style}`);
    expect(wrapper.find('.alert-item').classes()).toContain(`alert-item--${style}`);
  });

  it.each(CASES.filter((row) => row[2] !== 'SOMETHING_NEW'))(
    '%s, in %s: no internal code',
    (_case, locale, code, kind, params) => {
      const { message, badge } = rendered(locale, alert(code, params, kind));
      for (const internal of [code, kind, 'CONNECTION', 'PROVIDER_UNAVAILABLE', 'AUTH', '(s)']) {
        expect(`${badge} ${message}`).not.toContain(internal);
      }
    },
  );
});
