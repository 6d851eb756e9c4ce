import { FailureCategoryEnum } from '../resolvers/types/provider.enums';
import {
  ALERT_CODES,
  FAILURE_CATEGORY_LABELS,
  renderAlert,
  type AlertCode,
  type AlertParams,
} from './alert-text';

const opened: AlertParams = {
  providerName: 'Main SMTP',
  failures: 3,
  category: 'CONNECTION',
  smtpCode: 421,
  enhancedCode: '4.7.0',
};

/** Every code in both languages, and the variants its parameters allow. */
const CASES: Array<{ code: AlertCode; params: AlertParams; en: string; tr: string }> = [
  {
    code: 'CIRCUIT_OPENED',
    params: opened,
    en: '"Main SMTP" is skipped for now after 3 failures in a row (last: connection failure, SMTP 421 4.7.0); it is tried again after a pause.',
    tr: '"Main SMTP" sağlayıcısı art arda 3 hatadan sonra şimdilik atlanıyor (son hata: bağlantı hatası, SMTP 421 4.7.0); bir süre sonra yeniden denenecek.',
  },
  {
    code: 'CIRCUIT_OPENED',
    params: { providerName: 'Main SMTP', failures: 1, category: 'AUTH', smtpCode: 535 },
    en: '"Main SMTP" is skipped for now after 1 failure (last: authentication failure, SMTP 535); it is tried again after a pause.',
    tr: '"Main SMTP" sağlayıcısı art arda 1 hatadan sonra şimdilik atlanıyor (son hata: kimlik doğrulama hatası, SMTP 535); bir süre sonra yeniden denenecek.',
  },
  {
    code: 'CIRCUIT_OPENED',
    params: { providerName: 'Mail API', failures: 5, category: 'PROVIDER_UNAVAILABLE', httpStatus: 503 },
    en: '"Mail API" is skipped for now after 5 failures in a row (last: provider unavailable, HTTP 503); it is tried again after a pause.',
    tr: '"Mail API" sağlayıcısı art arda 5 hatadan sonra şimdilik atlanıyor (son hata: sağlayıcı kullanılamıyor, HTTP 503); bir süre sonra yeniden denenecek.',
  },
  {
    code: 'CIRCUIT_OPENED',
    params: { providerName: 'Old' },
    en: '"Old" is skipped for now after repeated failures; it is tried again after a pause.',
    tr: '"Old" sağlayıcısı art arda gelen hatalardan sonra şimdilik atlanıyor; bir süre sonra yeniden denenecek.',
  },
  {
    code: 'CIRCUIT_CLOSED',
    params: { providerName: 'Main SMTP' },
    en: '"Main SMTP" delivers again and is back in the chain.',
    tr: '"Main SMTP" sağlayıcısı yeniden teslim ediyor ve zincire geri döndü.',
  },
  {
    code: 'HEALTH_RESET',
    params: { providerName: 'Main SMTP' },
    en: '"Main SMTP" had its settings changed, so its earlier failures were forgotten and it is tried again.',
    tr: '"Main SMTP" sağlayıcısının ayarları değişti; önceki hataları unutuldu ve yeniden deneniyor.',
  },
  {
    code: 'FALLBACK_USED',
    params: { providerName: 'Main SMTP', deliveredByName: 'Backup', category: 'TIMEOUT' },
    en: 'Mail went out through "Backup" because "Main SMTP" failed (timeout).',
    tr: '"Main SMTP" sağlayıcısı başarısız olduğu için e-posta "Backup" üzerinden gönderildi (son hata: zaman aşımı).',
  },
  {
    code: 'FALLBACK_USED',
    params: {
      providerName: 'Main SMTP',
      deliveredByName: 'Backup',
      category: 'RATE_LIMITED',
      enhancedCode: '4.7.1',
    },
    en: 'Mail went out through "Backup" because "Main SMTP" failed (rate limit reached, 4.7.1).',
    tr: '"Main SMTP" sağlayıcısı başarısız olduğu için e-posta "Backup" üzerinden gönderildi (son hata: gönderim sınırına ulaşıldı, 4.7.1).',
  },
  {
    code: 'FALLBACK_USED',
    params: { providerName: 'Main SMTP', deliveredByName: 'Backup' },
    en: 'Mail went out through "Backup" because "Main SMTP" is skipped after repeated failures.',
    tr: '"Main SMTP" sağlayıcısı art arda gelen hatalar nedeniyle atlandığı için e-posta "Backup" üzerinden gönderildi.',
  },
  {
    code: 'FALLBACK_USED',
    params: { providerName: 'Main SMTP', category: 'TLS' },
    en: 'Mail went out through another provider because "Main SMTP" failed (TLS problem).',
    tr: '"Main SMTP" sağlayıcısı başarısız olduğu için e-posta başka bir sağlayıcı üzerinden gönderildi (son hata: TLS sorunu).',
  },
  {
    code: 'OAUTH_REVOKED',
    params: { providerName: 'Contoso 365', category: 'AUTH' },
    en: '"Contoso 365" cannot send: its OAuth2 sign-in was revoked or expired. Open the provider in Security > Mail Providers and click Reconnect.',
    tr: '"Contoso 365" sağlayıcısı gönderemiyor: OAuth2 oturumu iptal edilmiş ya da süresi dolmuş. Sağlayıcıyı Güvenlik > E-posta Sağlayıcıları’nda açın ve Yeniden bağlan’a tıklayın.',
  },
  {
    code: 'WEBHOOK_DISABLED',
    params: { providerName: 'CRM hook' },
    en: 'The webhook endpoint "CRM hook" was disabled after failing for too long. Fix the receiver, then enable the endpoint again in Settings > Notifications.',
    tr: '"CRM hook" webhook uç noktası çok uzun süre başarısız olduğu için devre dışı bırakıldı. Alıcıyı düzeltin, ardından uç noktayı Ayarlar > Bildirimler’de yeniden etkinleştirin.',
  },
];

describe('renderAlert', () => {
  it.each(CASES)('$code in English: $en', ({ code, params, en }) => {
    expect(renderAlert(code, params, 'en')).toBe(en);
  });

  it.each(CASES)('$code in Turkish: $tr', ({ code, params, tr }) => {
    expect(renderAlert(code, params, 'tr')).toBe(tr);
  });

  it('has a case for every code', () => {
    expect(new Set(CASES.map((c) => c.code))).toEqual(new Set(ALERT_CODES));
  });

  // TLS is the word readers use too; every other category name is an internal code.
  const CODE_WORDS = Object.values(FailureCategoryEnum).filter((category) => category !== 'TLS');

  it.each(ALERT_CODES)('%s names the failure in words, never by its code', (code) => {
    for (const category of Object.values(FailureCategoryEnum)) {
      for (const locale of ['en', 'tr'] as const) {
        const text = renderAlert(code, { ...opened, deliveredByName: 'Backup', category }, locale);
        for (const word of CODE_WORDS) expect(text).not.toMatch(new RegExp(`\\b${word}\\b`));
        expect(text).not.toMatch(/\(s\)/);
        if (code === 'CIRCUIT_OPENED' || code === 'FALLBACK_USED') {
          expect(text).toContain(FAILURE_CATEGORY_LABELS[locale][category]);
        }
      }
    }
  });
});

describe('FAILURE_CATEGORY_LABELS', () => {
  it.each(Object.values(FailureCategoryEnum))(
    '%s has a plain label in English and in Turkish',
    (category) => {
      const en = FAILURE_CATEGORY_LABELS.en[category];
      const tr = FAILURE_CATEGORY_LABELS.tr[category];
      expect(en).toMatch(/^[a-zA-Z ]+$/);
      expect(tr).not.toBe(en);
      expect(en).not.toBe(category);
      expect(tr).not.toBe(category);
    },
  );
});
