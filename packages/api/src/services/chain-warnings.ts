import { channelOf, type Channel, type ProviderHealth } from '@mail-providers/mailer-core';
import type { ProviderEntity } from '../entities/provider.entity';
import type { Locale } from '../entities/user.entity';

export type WarningCode =
  | 'NO_ACTIVE_PRIMARY'
  | 'NO_ACTIVE_FALLBACK'
  | 'FALLBACK_BEFORE_PRIMARY'
  | 'NOT_TESTED_SINCE_CHANGE'
  | 'SINGLE_HOST'
  | 'CIRCUIT_OPEN'
  | 'COOLING_DOWN'
  | 'SEVERAL_PRIMARIES';

export type Severity = 'error' | 'warning' | 'info';

export interface SetupWarningView {
  code: WarningCode;
  severity: Severity;
  providerId: string | null;
  message: string;
}

/** The fields of a provider the warnings read. */
export type WarningProvider = Pick<
  ProviderEntity,
  | 'id'
  | 'name'
  | 'type'
  | 'host'
  | 'serviceType'
  | 'status'
  | 'priority'
  | 'settingsChangedAt'
  | 'lastTestEmail'
>;

export interface WarningInput {
  channel: Channel;
  /** Every provider, any status. */
  providers: readonly WarningProvider[];
  /** The effective chain of the channel, in order (see mailer-core's buildChain). */
  chain: readonly WarningProvider[];
  health: ReadonlyMap<string, ProviderHealth>;
  locale: Locale;
}

interface Texts {
  nothingActive(channel: Channel): string;
  noPrimary(channel: Channel): string;
  noCrmPrimary: string;
  noFallback(channel: Channel): string;
  noFallbackButOthers(channel: Channel): string;
  noCrmFallback: string;
  fallbackFirst(fallback: string, primary: string): string;
  notTested(name: string): string;
  lastTestFailed(name: string): string;
  singleHost(host: string): string;
  circuitOpen(name: string, until: string | null, hint: string | null): string;
  circuitProbing(name: string, hint: string | null): string;
  coolingDown(name: string, until: string): string;
  severalPrimaries(names: string, first: string): string;
}

/** The channels as readers call them. */
const CHANNEL_NAMES: Record<Locale, Record<Channel, string>> = {
  en: { DEFAULT: 'Default mail', CRM: 'CRM mail' },
  tr: { DEFAULT: 'Varsayılan e-posta', CRM: 'CRM e-postası' },
};

const TEXTS: Record<Locale, Texts> = {
  en: {
    nothingActive: (channel) =>
      `No active provider sends ${CHANNEL_NAMES.en[channel]}, so it cannot be sent: verify and activate a primary provider.`,
    noPrimary: (channel) =>
      `${CHANNEL_NAMES.en[channel]} has no active primary provider, so fallbacks carry all of it: activate a verified primary provider.`,
    noCrmPrimary:
      'CRM mail has no active CRM provider of its own, so it goes through the providers of Default mail: activate a verified CRM provider if CRM mail should have its own.',
    noFallback: (channel) =>
      `${CHANNEL_NAMES.en[channel]} has a single active provider: when it fails, mail waits in the queue. Add and activate a fallback provider, ideally on another service.`,
    noFallbackButOthers: (channel) =>
      `${CHANNEL_NAMES.en[channel]} has no active fallback provider; the other active providers still take over in order when the first one fails.`,
    noCrmFallback:
      'CRM mail has no active CRM fallback; it falls back to the providers of Default mail when the CRM providers fail.',
    fallbackFirst: (fallback, primary) =>
      `Fallback "${fallback}" is ordered before primary "${primary}", but mail always tries primaries first: move "${fallback}" below the primaries so the list shows the real order.`,
    notTested: (name) =>
      `"${name}" is active but no test email has gone through it since its settings last changed: send a test email to it.`,
    lastTestFailed: (name) =>
      `"${name}" is active but its last test email failed: look at that failure's hint, fix the settings and send another test email.`,
    singleHost: (host) =>
      `Every active provider of this chain is on ${host}: when that host is down, nothing can be delivered. Add a fallback on another service.`,
    circuitOpen: (name, until, hint) =>
      `"${name}" is being skipped after repeated failures${until ? ` until ${until}` : ''}; the next send after that tries it again.${hint ? ` Last failure: ${hint}` : ''}`,
    circuitProbing: (name, hint) =>
      `"${name}" was skipped after repeated failures; the next send tries it once and it returns to the chain if that succeeds.${hint ? ` Last failure: ${hint}` : ''}`,
    coolingDown: (name, until) =>
      `"${name}" asked us to slow down (rate limit) and is skipped until ${until}.`,
    severalPrimaries: (names, first) =>
      `Several primary providers are active (${names}): "${first}" takes all mail, and the others are tried in order only when it fails.`,
  },
  tr: {
    nothingActive: (channel) =>
      `${CHANNEL_NAMES.tr[channel]} için etkin sağlayıcı yok, bu yüzden gönderilemiyor: bir birincil sağlayıcıyı doğrulayıp etkinleştirin.`,
    noPrimary: (channel) =>
      `${CHANNEL_NAMES.tr[channel]} için etkin birincil sağlayıcı yok, tümünü yedekler taşıyor: doğrulanmış bir birincil sağlayıcıyı etkinleştirin.`,
    noCrmPrimary:
      'CRM e-postasının kendine ait etkin bir CRM sağlayıcısı yok, bu yüzden varsayılan e-postanın sağlayıcıları üzerinden gidiyor: CRM e-postalarının ayrı bir sağlayıcısı olacaksa doğrulanmış bir CRM sağlayıcısını etkinleştirin.',
    noFallback: (channel) =>
      `${CHANNEL_NAMES.tr[channel]} için tek bir etkin sağlayıcı var: o hata verdiğinde e-postalar kuyrukta bekler. Tercihen başka bir serviste bir yedek sağlayıcı ekleyip etkinleştirin.`,
    noFallbackButOthers: (channel) =>
      `${CHANNEL_NAMES.tr[channel]} için etkin yedek sağlayıcı yok; ilk sağlayıcı hata verdiğinde diğer etkin sağlayıcılar sırayla devreye girer.`,
    noCrmFallback:
      'CRM e-postası için etkin bir CRM yedeği yok; CRM sağlayıcıları hata verdiğinde varsayılan e-postanın sağlayıcılarına geçilir.',
    fallbackFirst: (fallback, primary) =>
      `Yedek "${fallback}", birincil "${primary}" sağlayıcısından önce sıralanmış, ancak e-posta her zaman önce birincilleri dener: listenin gerçek sırayı göstermesi için "${fallback}" sağlayıcısını birincillerin altına taşıyın.`,
    notTested: (name) =>
      `"${name}" etkin, ancak ayarları son değiştiğinden beri üzerinden test e-postası gönderilmedi: bu sağlayıcıya bir test e-postası gönderin.`,
    lastTestFailed: (name) =>
      `"${name}" etkin, ancak son test e-postası başarısız oldu: o hatanın ipucuna bakın, ayarları düzeltin ve yeni bir test e-postası gönderin.`,
    singleHost: (host) =>
      `Bu zincirdeki tüm etkin sağlayıcılar ${host} üzerinde: bu sunucu çöktüğünde hiçbir e-posta teslim edilemez. Başka bir serviste bir yedek ekleyin.`,
    circuitOpen: (name, until, hint) =>
      `"${name}" art arda gelen hatalar nedeniyle${until ? ` ${until} tarihine kadar` : ''} atlanıyor; bu süreden sonraki ilk gönderim onu yeniden dener.${hint ? ` Son hata: ${hint}` : ''}`,
    circuitProbing: (name, hint) =>
      `"${name}" art arda gelen hatalar nedeniyle atlandı; sonraki gönderim onu bir kez dener ve başarılı olursa zincire geri döner.${hint ? ` Son hata: ${hint}` : ''}`,
    coolingDown: (name, until) =>
      `"${name}" gönderimi yavaşlatmamızı istedi (hız sınırı) ve ${until} tarihine kadar atlanıyor.`,
    severalPrimaries: (names, first) =>
      `Birden fazla birincil sağlayıcı etkin (${names}): tüm e-postaları "${first}" gönderir, diğerleri yalnızca o hata verdiğinde sırayla denenir.`,
  },
};

/**
 * What an operator should know about a channel's setup: missing primary or fallback, an order
 * that hides the real one, providers not tested since they changed, a single point of failure, circuits
 * open now. Structure warnings look at the channel's own providers; per-provider ones at the whole
 * effective chain (for CRM that includes the DEFAULT providers it falls back to).
 */
export function setupWarnings(input: WarningInput): SetupWarningView[] {
  const { channel, chain, health, locale } = input;
  const t = TEXTS[locale];
  const warnings: SetupWarningView[] = [];
  const add = (code: WarningCode, severity: Severity, providerId: string | null, message: string) =>
    warnings.push({ code, severity, providerId, message });

  const own = input.providers
    .filter((p) => p.status === 'active' && channelOf(p) === channel)
    .sort((a, b) => a.priority - b.priority);
  const primaries = own.filter((p) => p.serviceType === 'primary');
  const fallbacks = own.filter((p) => p.serviceType === 'fallback');

  if (chain.length === 0) {
    add('NO_ACTIVE_PRIMARY', 'error', null, t.nothingActive(channel));
  } else if (primaries.length === 0) {
    if (channel === 'CRM')
      add('NO_ACTIVE_PRIMARY', own.length === 0 ? 'info' : 'warning', null, t.noCrmPrimary);
    else add('NO_ACTIVE_PRIMARY', 'warning', null, t.noPrimary(channel));
  }

  if (chain.length > 0 && fallbacks.length === 0) {
    if (channel === 'CRM' && own.length > 0 && chain.length > own.length)
      add('NO_ACTIVE_FALLBACK', 'info', null, t.noCrmFallback);
    else if (chain.length < 2) add('NO_ACTIVE_FALLBACK', 'warning', null, t.noFallback(channel));
    else if (channel === 'DEFAULT' || own.length > 0)
      add('NO_ACTIVE_FALLBACK', 'info', null, t.noFallbackButOthers(channel));
  }

  for (const fallback of fallbacks) {
    const firstOvertaken = primaries.find((primary) => primary.priority > fallback.priority);
    if (firstOvertaken) {
      add(
        'FALLBACK_BEFORE_PRIMARY',
        'warning',
        fallback.id,
        t.fallbackFirst(fallback.name, firstOvertaken.name),
      );
    }
  }

  if (primaries.length > 1) {
    const [first] = primaries;
    if (first) {
      add(
        'SEVERAL_PRIMARIES',
        'info',
        null,
        t.severalPrimaries(primaries.map((p) => `"${p.name}"`).join(', '), first.name),
      );
    }
  }

  const hosts = new Set(chain.map((p) => p.host.toLowerCase()));
  const [onlyHost] = hosts;
  if (chain.length > 1 && hosts.size === 1 && onlyHost !== undefined) {
    add('SINGLE_HOST', 'warning', null, t.singleHost(onlyHost));
  }

  for (const provider of chain) {
    const test = provider.lastTestEmail;
    if (!test || test.sentAt.getTime() < provider.settingsChangedAt.getTime()) {
      add('NOT_TESTED_SINCE_CHANGE', 'warning', provider.id, t.notTested(provider.name));
    } else if (!test.ok) {
      add('NOT_TESTED_SINCE_CHANGE', 'warning', provider.id, t.lastTestFailed(provider.name));
    }
  }

  for (const provider of chain) {
    const state = health.get(provider.id);
    if (!state) continue;
    const hint = state.lastFailure ? state.lastFailure.hint[locale] : null;
    if (state.state === 'OPEN') {
      add(
        'CIRCUIT_OPEN',
        'warning',
        provider.id,
        t.circuitOpen(provider.name, formatTime(state.openUntil, locale), hint),
      );
    } else if (state.state === 'HALF_OPEN') {
      add('CIRCUIT_OPEN', 'warning', provider.id, t.circuitProbing(provider.name, hint));
    } else if (state.cooldownUntil) {
      add(
        'COOLING_DOWN',
        'info',
        provider.id,
        t.coolingDown(provider.name, formatTime(state.cooldownUntil, locale) ?? ''),
      );
    }
  }
  return warnings;
}

function formatTime(date: Date | null, locale: Locale): string | null {
  if (!date) return null;
  const time = new Intl.DateTimeFormat(locale === 'tr' ? 'tr-TR' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'medium',
    timeZone: 'UTC',
  }).format(date);
  return `${time} UTC`;
}
