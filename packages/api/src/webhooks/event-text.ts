import { API_VENDORS, VENDOR_NAMES, type ApiVendor, type FailureCategory } from '@mail-providers/mailer-core';
import { FAILURE_CATEGORY_LABELS, renderAlert, type AlertCode, type AlertParams } from '../alerts/alert-text';
import type { EventType, StoredEvent } from '../events/event-types';

/** The language of the messages a SLACK or EMAIL endpoint sends. */
export type WebhookLanguage = 'en' | 'tr';

/** What an endpoint sends: a stored event, or the test event of "Send test event". */
export type OutboundEvent = StoredEvent | { id: string; type: 'WEBHOOK_TEST'; occurredAt: Date };

/** Every type an outbound event can have. */
export type OutboundEventType = EventType | 'WEBHOOK_TEST';

/**
 * The facts a sentence is made of, read from the event's payload. Payloads are stored as jsonb and may come
 * from an older version, so each fact is read by its shape and may be missing.
 */
export interface EventFacts {
  recipient: string | null;
  providerName: string | null;
  deliveredByName: string | null;
  vendor: ApiVendor | null;
  bounceType: 'HARD' | 'SOFT' | null;
  category: FailureCategory | null;
  reason: string | null;
  channel: string | null;
  consecutiveFailures: number | null;
}

interface EventWords {
  /** "Mail to ann@example.org", or a phrase for a delivery event without a recipient. */
  mailTo(recipient: string | null): string;
  vendor(name: string | null): string;
  bounce(type: 'HARD' | 'SOFT' | null): string;
  noReason: string;
  sentences: Record<
    OutboundEventType,
    (facts: EventFacts, w: EventWords, language: WebhookLanguage) => string
  >;
  titles: Record<OutboundEventType, string>;
}

/** Why a delivery failed: the category in words, then the provider's or vendor's own words. */
function failureReason(facts: EventFacts, language: WebhookLanguage, noReason: string): string {
  const category = facts.category ? FAILURE_CATEGORY_LABELS[language][facts.category] : null;
  if (category && facts.reason) return `${category} (${facts.reason})`;
  return category ?? facts.reason ?? noReason;
}

/** Provider events say what the matching alerts say, so the panel, Slack and email word them alike. */
function asAlert(code: AlertCode) {
  return (facts: EventFacts, _words: EventWords, language: WebhookLanguage): string => {
    const params: AlertParams = {
      providerName: facts.providerName ?? '?',
      deliveredByName: facts.deliveredByName,
      failures: facts.consecutiveFailures,
      category: facts.category,
    };
    return renderAlert(code, params, language);
  };
}

const providerSentences = {
  PROVIDER_PAUSED: asAlert('CIRCUIT_OPENED'),
  PROVIDER_RECOVERED: asAlert('CIRCUIT_CLOSED'),
  FALLBACK_USED: asAlert('FALLBACK_USED'),
  PROVIDER_OAUTH_REVOKED: asAlert('OAUTH_REVOKED'),
};

const WORDS: Record<WebhookLanguage, EventWords> = {
  en: {
    mailTo: (recipient) => (recipient ? `Mail to ${recipient}` : 'A message'),
    vendor: (name) => name ?? 'the provider',
    bounce: (type) => (type === 'HARD' ? 'hard bounce' : type === 'SOFT' ? 'soft bounce' : 'bounce'),
    noReason: 'no reason given',
    sentences: {
      DELIVERY_QUEUED: (f, w) =>
        `${w.mailTo(f.recipient)} was queued for sending${f.channel ? ` on the ${f.channel} channel` : ''}.`,
      DELIVERY_SENT: (f, w) =>
        `${w.mailTo(f.recipient)} was accepted by ${f.providerName ? `"${f.providerName}"` : 'a provider'}.`,
      DELIVERY_FAILED: (f, w, language) =>
        `${w.mailTo(f.recipient)} could not be sent: ${failureReason(f, language, w.noReason)}.`,
      DELIVERY_DELIVERED: (f, w) =>
        `${w.mailTo(f.recipient)} reached the recipient’s mail server (reported by ${w.vendor(vendorName(f))}).`,
      DELIVERY_BOUNCED: (f, w) =>
        `${w.mailTo(f.recipient)} bounced (${w.bounce(f.bounceType)}${f.reason ? `: ${f.reason}` : ''}; reported by ${w.vendor(vendorName(f))}).`,
      DELIVERY_COMPLAINED: (f, w) =>
        `${f.recipient ? `The recipient ${f.recipient}` : 'A recipient'} marked the mail as spam (reported by ${w.vendor(vendorName(f))}).`,
      DELIVERY_SUPPRESSED: (f, w) =>
        f.recipient
          ? `${w.mailTo(f.recipient)} was not sent: the address is on the suppression list.`
          : 'A message was not sent: its recipients are on the suppression list.',
      ...providerSentences,
      WEBHOOK_TEST: () => 'Test event from Mail Providers: this channel receives its notifications.',
    },
    titles: {
      DELIVERY_QUEUED: 'Mail queued',
      DELIVERY_SENT: 'Mail sent',
      DELIVERY_FAILED: 'Mail failed',
      DELIVERY_DELIVERED: 'Mail delivered',
      DELIVERY_BOUNCED: 'Mail bounced',
      DELIVERY_COMPLAINED: 'Spam complaint',
      DELIVERY_SUPPRESSED: 'Mail suppressed',
      PROVIDER_PAUSED: 'Provider paused',
      PROVIDER_RECOVERED: 'Provider recovered',
      FALLBACK_USED: 'Fallback used',
      PROVIDER_OAUTH_REVOKED: 'Provider sign-in revoked',
      WEBHOOK_TEST: 'Test event',
    },
  },
  tr: {
    mailTo: (recipient) => (recipient ? `${recipient} adresine gönderilen e-posta` : 'Bir e-posta'),
    vendor: (name) => name ?? 'sağlayıcı',
    bounce: (type) =>
      type === 'HARD' ? 'kalıcı geri dönüş' : type === 'SOFT' ? 'geçici geri dönüş' : 'geri dönüş',
    noReason: 'neden belirtilmedi',
    sentences: {
      DELIVERY_QUEUED: (f, w) =>
        `${w.mailTo(f.recipient)}${f.channel ? ` ${f.channel} kanalında` : ''} gönderilmek üzere kuyruğa alındı.`,
      DELIVERY_SENT: (f, w) =>
        `${w.mailTo(f.recipient)} ${f.providerName ? `"${f.providerName}" sağlayıcısı` : 'bir sağlayıcı'} tarafından kabul edildi.`,
      DELIVERY_FAILED: (f, w, language) =>
        `${w.mailTo(f.recipient)} gönderilemedi: ${failureReason(f, language, w.noReason)}.`,
      DELIVERY_DELIVERED: (f, w) =>
        `${w.mailTo(f.recipient)} alıcının e-posta sunucusuna ulaştı (bildiren: ${w.vendor(vendorName(f))}).`,
      DELIVERY_BOUNCED: (f, w) =>
        `${w.mailTo(f.recipient)} geri döndü (${w.bounce(f.bounceType)}${f.reason ? `: ${f.reason}` : ''}; bildiren: ${w.vendor(vendorName(f))}).`,
      DELIVERY_COMPLAINED: (f, w) =>
        `${f.recipient ? `${f.recipient} alıcısı` : 'Bir alıcı'} e-postayı istenmeyen posta olarak işaretledi (bildiren: ${w.vendor(vendorName(f))}).`,
      DELIVERY_SUPPRESSED: (f, w) =>
        f.recipient
          ? `${w.mailTo(f.recipient)} gönderilmedi: adres gönderim engeli listesinde.`
          : 'Bir e-posta gönderilmedi: alıcıları gönderim engeli listesinde.',
      ...providerSentences,
      WEBHOOK_TEST: () => 'Mail Providers test olayı: bu kanal bildirimleri alıyor.',
    },
    titles: {
      DELIVERY_QUEUED: 'E-posta kuyrukta',
      DELIVERY_SENT: 'E-posta gönderildi',
      DELIVERY_FAILED: 'E-posta gönderilemedi',
      DELIVERY_DELIVERED: 'E-posta teslim edildi',
      DELIVERY_BOUNCED: 'E-posta geri döndü',
      DELIVERY_COMPLAINED: 'İstenmeyen posta şikâyeti',
      DELIVERY_SUPPRESSED: 'E-posta engellendi',
      PROVIDER_PAUSED: 'Sağlayıcı duraklatıldı',
      PROVIDER_RECOVERED: 'Sağlayıcı yeniden çalışıyor',
      FALLBACK_USED: 'Yedek sağlayıcı kullanıldı',
      PROVIDER_OAUTH_REVOKED: 'Sağlayıcının oturum izni geri alındı',
      WEBHOOK_TEST: 'Test olayı',
    },
  },
};

function vendorName(facts: EventFacts): string | null {
  return facts.vendor ? VENDOR_NAMES[facts.vendor] : null;
}

/** Vendors' words can run long and over several lines; a notification keeps one line of them. */
const MAX_FACT_LENGTH = 300;

function oneLine(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const text = value.replace(/\s+/g, ' ').trim();
  if (text === '') return null;
  return text.length > MAX_FACT_LENGTH ? `${text.slice(0, MAX_FACT_LENGTH - 1)}…` : text;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | null {
  return allowed.find((candidate) => candidate === value) ?? null;
}

function isCategory(value: unknown): value is FailureCategory {
  return typeof value === 'string' && Object.hasOwn(FAILURE_CATEGORY_LABELS.en, value);
}

/** The facts of an event, each read by its shape from the payload. */
export function eventFacts(event: OutboundEvent): EventFacts {
  const payload: Readonly<Record<string, unknown>> = event.type === 'WEBHOOK_TEST' ? {} : event.payload;
  const recipient = event.type === 'WEBHOOK_TEST' ? null : event.recipient;
  const failures = payload['consecutiveFailures'];
  const category = payload['category'];
  return {
    recipient: oneLine(recipient),
    providerName: oneLine(payload['providerName']),
    deliveredByName: oneLine(payload['deliveredByName']),
    vendor: oneOf(payload['vendor'], API_VENDORS),
    bounceType: oneOf(payload['bounceType'], ['HARD', 'SOFT'] as const),
    category: isCategory(category) ? category : null,
    reason: oneLine(payload['reason']),
    channel: oneLine(payload['channel']),
    consecutiveFailures: typeof failures === 'number' && Number.isFinite(failures) ? failures : null,
  };
}

/** The event as one plain sentence in the reader's language (Slack and email notifications). */
export function eventText(event: OutboundEvent, language: WebhookLanguage): string {
  const words = WORDS[language];
  return words.sentences[event.type](eventFacts(event), words, language);
}

/** A short title for the event's type ("Provider paused"), for an email's subject. */
export function eventTitle(type: OutboundEventType, language: WebhookLanguage): string {
  return WORDS[language].titles[type];
}
