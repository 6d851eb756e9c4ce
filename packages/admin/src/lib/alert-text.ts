// An alert in the reader's language, worded by the panel from the code and facts the API stores with it
// (the API's own sentence is the fallback for a code this panel does not know yet).

import type { AlertEvent } from '../graphql/types';

/** The codes the panel words itself; `alertText.<code>` holds each one's sentences. */
export const ALERT_CODES = [
  'CIRCUIT_OPENED',
  'CIRCUIT_CLOSED',
  'HEALTH_RESET',
  'FALLBACK_USED',
  'OAUTH_REVOKED',
  'WEBHOOK_DISABLED',
] as const;
export type AlertCode = (typeof ALERT_CODES)[number];

export function isAlertCode(code: string): code is AlertCode {
  return ALERT_CODES.some((known) => known === code);
}

/** The translate function of vue-i18n, as far as alerts need it. */
export type Translate = (key: string, values?: Record<string, unknown>, plural?: number) => string;

type AlertFacts = Pick<AlertEvent, 'code' | 'params' | 'message'>;

/** "Connection failed, SMTP 421 4.7.0": the category in words, then the provider's own codes. */
function lastFailure(params: AlertFacts['params'], t: Translate): string | null {
  if (!params.category) return null;
  const smtp = [params.smtpCode, params.enhancedCode].filter((part) => part != null).join(' ');
  const parts = [t(`enums.category.${params.category}`)];
  if (smtp) parts.push(t('failure.smtp', { code: smtp }));
  if (params.httpStatus != null) parts.push(t('failure.http', { status: params.httpStatus }));
  return parts.join(', ');
}

/** The alert as one sentence; the API's message when the code is not one the panel knows. */
export function alertText(alert: AlertFacts, t: Translate): string {
  if (!isAlertCode(alert.code)) return alert.message;
  const { params } = alert;
  const provider = params.providerName;
  const last = lastFailure(params, t);
  switch (alert.code) {
    case 'CIRCUIT_OPENED': {
      const failures =
        params.failures != null
          ? t('alertText.failures', { count: params.failures }, params.failures)
          : t('alertText.repeatedFailures');
      return last
        ? t('alertText.CIRCUIT_OPENED.withLast', { provider, failures, last })
        : t('alertText.CIRCUIT_OPENED.plain', { provider, failures });
    }
    case 'CIRCUIT_CLOSED':
      return t('alertText.CIRCUIT_CLOSED', { provider });
    case 'HEALTH_RESET':
      return t('alertText.HEALTH_RESET', { provider });
    case 'OAUTH_REVOKED':
      return t('alertText.OAUTH_REVOKED', { provider });
    case 'WEBHOOK_DISABLED':
      return t('alertText.WEBHOOK_DISABLED', { endpoint: provider });
    case 'FALLBACK_USED': {
      const deliveredBy = params.deliveredByName
        ? t('alertText.quoted', { name: params.deliveredByName })
        : t('alertText.anotherProvider');
      return last
        ? t('alertText.FALLBACK_USED.afterFailure', { provider, deliveredBy, last })
        : t('alertText.FALLBACK_USED.whileSkipped', { provider, deliveredBy });
    }
  }
}

/** The badge over the sentence: per code (every kind is also a code), else per kind. */
export function alertBadge(alert: Pick<AlertEvent, 'code' | 'kind'>, t: Translate): string {
  return t(`alerts.kind.${isAlertCode(alert.code) ? alert.code : alert.kind}`);
}
