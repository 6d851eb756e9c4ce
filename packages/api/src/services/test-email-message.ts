import type { Channel, Message } from '@mail-providers/mailer-core';
import type { Locale } from '../entities/user.entity';

/** What the test email tells its reader about how it travelled. */
export type TestEmailRoute =
  | { kind: 'provider'; name: string; type: string; host: string; port: number }
  | { kind: 'chain'; channel: Channel; providerNames: string[] };

interface Texts {
  subjectProvider(name: string): string;
  subjectChain(channel: Channel): string;
  intro: string;
  viaProvider(route: Extract<TestEmailRoute, { kind: 'provider' }>, at: string): string;
  viaChain(channel: Channel, at: string): string;
  chainOrder(names: string): string;
  whoDelivered: string;
  outroProvider: string;
  outroChain: string;
}

const TEXTS: Record<Locale, Texts> = {
  en: {
    subjectProvider: (name) => `Mail Providers test email via ${name}`,
    subjectChain: (channel) => `Mail Providers test email through the ${channel} chain`,
    intro: 'This is a test email from Mail Providers.',
    viaProvider: (r, at) =>
      `It was sent by the provider "${r.name}" (${r.type}, ${r.host}:${r.port}) alone, without fallback, at ${at}.`,
    viaChain: (channel, at) => `It was sent through the ${channel} delivery chain at ${at}.`,
    chainOrder: (names) => `The chain at that moment: ${names}.`,
    whoDelivered:
      'The provider that delivered it is the one whose From Name and From Email appear in the From line; the panel lists every attempt.',
    outroProvider: 'If you can read this, the provider delivers mail and nothing else needs to be done.',
    outroChain: 'If you can read this, the chain delivers mail and nothing else needs to be done.',
  },
  tr: {
    subjectProvider: (name) => `Mail Providers test e-postası (${name} üzerinden)`,
    subjectChain: (channel) => `Mail Providers test e-postası (${channel} zinciri üzerinden)`,
    intro: 'Bu, Mail Providers tarafından gönderilen bir test e-postasıdır.',
    viaProvider: (r, at) =>
      `"${r.name}" sağlayıcısı (${r.type}, ${r.host}:${r.port}) tek başına, yedeğe geçmeden, ${at} tarihinde gönderdi.`,
    viaChain: (channel, at) => `${channel} teslim zinciri üzerinden ${at} tarihinde gönderildi.`,
    chainOrder: (names) => `O anki zincir: ${names}.`,
    whoDelivered:
      'Mesajı teslim eden sağlayıcı, Kimden satırında Gönderen Adı ve Gönderen E-postası görünen sağlayıcıdır; panel her denemeyi listeler.',
    outroProvider: 'Bu mesajı okuyabiliyorsanız sağlayıcı e-posta teslim ediyor; başka bir işlem gerekmez.',
    outroChain: 'Bu mesajı okuyabiliyorsanız zincir e-posta teslim ediyor; başka bir işlem gerekmez.',
  },
};

/** The moment of sending as a reader of that language writes it, in UTC and as ISO 8601 for precision. */
export function formatSentAt(sentAt: Date, locale: Locale): string {
  const formatted = new Intl.DateTimeFormat(locale === 'tr' ? 'tr-TR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'long',
    timeZone: 'UTC',
  }).format(sentAt);
  return `${formatted} (${sentAt.toISOString()})`;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The test email: who sent it and when, in the admin's language, as text and HTML. */
export function buildTestEmail(options: {
  to: string;
  route: TestEmailRoute;
  sentAt: Date;
  locale: Locale;
}): Message {
  const t = TEXTS[options.locale];
  const at = formatSentAt(options.sentAt, options.locale);
  const route = options.route;
  const paragraphs =
    route.kind === 'provider'
      ? [t.intro, t.viaProvider(route, at), t.outroProvider]
      : [
          t.intro,
          t.viaChain(route.channel, at),
          t.chainOrder(route.providerNames.map((name, i) => `${i + 1}. ${name}`).join(', ')),
          t.whoDelivered,
          t.outroChain,
        ];
  return {
    to: options.to,
    subject: route.kind === 'provider' ? t.subjectProvider(route.name) : t.subjectChain(route.channel),
    text: paragraphs.join('\n\n') + '\n',
    html: paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n'),
  };
}
