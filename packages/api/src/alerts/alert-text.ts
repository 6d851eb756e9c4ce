import type { FailureCategory } from '@mail-providers/mailer-core';
import type { Locale } from '../entities/user.entity';

/**
 * What an alert says, as a code: CIRCUIT_OPENED (a provider is skipped after failing), CIRCUIT_CLOSED (it
 * delivers again), HEALTH_RESET (its failures were forgotten because its settings changed) and
 * FALLBACK_USED (mail went out through a later provider), OAUTH_REVOKED (its OAuth2 sign-in was refused) and
 * WEBHOOK_DISABLED (a webhook endpoint was disabled after failing for too long; `providerName` holds the
 * endpoint's name).
 */
export type AlertCode =
  | 'CIRCUIT_OPENED'
  | 'CIRCUIT_CLOSED'
  | 'HEALTH_RESET'
  | 'FALLBACK_USED'
  | 'OAUTH_REVOKED'
  | 'WEBHOOK_DISABLED';

export const ALERT_CODES: readonly AlertCode[] = [
  'CIRCUIT_OPENED',
  'CIRCUIT_CLOSED',
  'HEALTH_RESET',
  'FALLBACK_USED',
  'OAUTH_REVOKED',
  'WEBHOOK_DISABLED',
];

/** The facts an alert is rendered from, stored with it as jsonb. */
export interface AlertParams {
  /** The provider the alert is about; for WEBHOOK_DISABLED, the endpoint. */
  providerName: string;
  /** The provider that delivered instead (FALLBACK_USED). */
  deliveredByName?: string | null;
  /** The last failure's category; absent when the provider was skipped rather than tried. */
  category?: FailureCategory | null;
  /** Failures in a row that opened the circuit (CIRCUIT_OPENED). */
  failures?: number | null;
  smtpCode?: number | null;
  enhancedCode?: string | null;
  httpStatus?: number | null;
}

/** Each failure category as a reader calls it, in a phrase that fits after "last:". */
export const FAILURE_CATEGORY_LABELS: Record<Locale, Record<FailureCategory, string>> = {
  en: {
    CONNECTION: 'connection failure',
    TIMEOUT: 'timeout',
    TLS: 'TLS problem',
    AUTH: 'authentication failure',
    RELAY_DENIED: 'sending not allowed',
    RATE_LIMITED: 'rate limit reached',
    PROVIDER_UNAVAILABLE: 'provider unavailable',
    RECIPIENT_REJECTED: 'recipient rejected',
    MESSAGE_REJECTED: 'message rejected',
    AMBIGUOUS: 'outcome unknown',
    CONFIG: 'configuration problem',
    UNKNOWN: 'unknown failure',
  },
  tr: {
    CONNECTION: 'bağlantı hatası',
    TIMEOUT: 'zaman aşımı',
    TLS: 'TLS sorunu',
    AUTH: 'kimlik doğrulama hatası',
    RELAY_DENIED: 'gönderime izin verilmedi',
    RATE_LIMITED: 'gönderim sınırına ulaşıldı',
    PROVIDER_UNAVAILABLE: 'sağlayıcı kullanılamıyor',
    RECIPIENT_REJECTED: 'alıcı reddedildi',
    MESSAGE_REJECTED: 'ileti reddedildi',
    AMBIGUOUS: 'sonuç belirsiz',
    CONFIG: 'yapılandırma sorunu',
    UNKNOWN: 'bilinmeyen hata',
  },
};

interface AlertTexts {
  failures(count: number): string;
  circuitOpened(name: string, failures: string | null, last: string | null): string;
  circuitClosed(name: string): string;
  healthReset(name: string): string;
  /** The provider that delivered, quoted, or a phrase when its name is not known. */
  deliveredBy(name: string | null): string;
  fallbackAfterFailure(name: string, deliveredBy: string, last: string): string;
  fallbackWhileSkipped(name: string, deliveredBy: string): string;
  oauthRevoked(name: string): string;
  webhookDisabled(name: string): string;
}

const englishPlural = new Intl.PluralRules('en');

const TEXTS: Record<Locale, AlertTexts> = {
  en: {
    failures: (count) =>
      englishPlural.select(count) === 'one' ? `${count} failure` : `${count} failures in a row`,
    circuitOpened: (name, failures, last) =>
      `"${name}" is skipped for now after ${failures ?? 'repeated failures'}${last ? ` (last: ${last})` : ''}; it is tried again after a pause.`,
    circuitClosed: (name) => `"${name}" delivers again and is back in the chain.`,
    healthReset: (name) =>
      `"${name}" had its settings changed, so its earlier failures were forgotten and it is tried again.`,
    deliveredBy: (name) => (name ? `"${name}"` : 'another provider'),
    fallbackAfterFailure: (name, deliveredBy, last) =>
      `Mail went out through ${deliveredBy} because "${name}" failed (${last}).`,
    fallbackWhileSkipped: (name, deliveredBy) =>
      `Mail went out through ${deliveredBy} because "${name}" is skipped after repeated failures.`,
    oauthRevoked: (name) =>
      `"${name}" cannot send: its OAuth2 sign-in was revoked or expired. Open the provider in Security > Mail Providers and click Reconnect.`,
    webhookDisabled: (name) =>
      `The webhook endpoint "${name}" was disabled after failing for too long. Fix the receiver, then enable the endpoint again in Settings > Notifications.`,
  },
  tr: {
    // Turkish keeps the noun singular after a number: 1 hata, 3 hata.
    failures: (count) => `${count} hata`,
    circuitOpened: (name, failures, last) =>
      `"${name}" sağlayıcısı ${failures ? `art arda ${failures}dan` : 'art arda gelen hatalardan'} sonra şimdilik atlanıyor${last ? ` (son hata: ${last})` : ''}; bir süre sonra yeniden denenecek.`,
    circuitClosed: (name) => `"${name}" sağlayıcısı yeniden teslim ediyor ve zincire geri döndü.`,
    healthReset: (name) =>
      `"${name}" sağlayıcısının ayarları değişti; önceki hataları unutuldu ve yeniden deneniyor.`,
    deliveredBy: (name) => (name ? `"${name}"` : 'başka bir sağlayıcı'),
    fallbackAfterFailure: (name, deliveredBy, last) =>
      `"${name}" sağlayıcısı başarısız olduğu için e-posta ${deliveredBy} üzerinden gönderildi (son hata: ${last}).`,
    fallbackWhileSkipped: (name, deliveredBy) =>
      `"${name}" sağlayıcısı art arda gelen hatalar nedeniyle atlandığı için e-posta ${deliveredBy} üzerinden gönderildi.`,
    oauthRevoked: (name) =>
      `"${name}" sağlayıcısı gönderemiyor: OAuth2 oturumu iptal edilmiş ya da süresi dolmuş. Sağlayıcıyı Güvenlik > E-posta Sağlayıcıları’nda açın ve Yeniden bağlan’a tıklayın.`,
    webhookDisabled: (name) =>
      `"${name}" webhook uç noktası çok uzun süre başarısız olduğu için devre dışı bırakıldı. Alıcıyı düzeltin, ardından uç noktayı Ayarlar > Bildirimler’de yeniden etkinleştirin.`,
  },
};

/** "connection failure, SMTP 421 4.7.0": the category in words, then the provider's own codes. */
function lastFailure(params: AlertParams, locale: Locale): string | null {
  if (!params.category) return null;
  const codes: string[] = [];
  if (params.smtpCode != null) {
    codes.push(
      params.enhancedCode ? `SMTP ${params.smtpCode} ${params.enhancedCode}` : `SMTP ${params.smtpCode}`,
    );
  } else if (params.enhancedCode) {
    codes.push(params.enhancedCode);
  }
  if (params.httpStatus != null) codes.push(`HTTP ${params.httpStatus}`);
  return [FAILURE_CATEGORY_LABELS[locale][params.category], ...codes].join(', ');
}

/** The alert as one sentence in the reader's language. */
export function renderAlert(code: AlertCode, params: AlertParams, locale: Locale): string {
  const t = TEXTS[locale];
  const name = params.providerName;
  const last = lastFailure(params, locale);
  switch (code) {
    case 'CIRCUIT_OPENED':
      return t.circuitOpened(name, params.failures != null ? t.failures(params.failures) : null, last);
    case 'CIRCUIT_CLOSED':
      return t.circuitClosed(name);
    case 'HEALTH_RESET':
      return t.healthReset(name);
    case 'FALLBACK_USED': {
      const deliveredBy = t.deliveredBy(params.deliveredByName ?? null);
      return last
        ? t.fallbackAfterFailure(name, deliveredBy, last)
        : t.fallbackWhileSkipped(name, deliveredBy);
    }
    case 'OAUTH_REVOKED':
      return t.oauthRevoked(name);
    case 'WEBHOOK_DISABLED':
      return t.webhookDisabled(name);
  }
}
