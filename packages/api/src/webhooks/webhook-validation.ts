import { isAddrSpec } from '@mail-providers/mailer-core';
import type { FieldError } from '../errors';
import type { EventType } from '../events/event-types';

export type WebhookFormat = 'STANDARD' | 'SLACK' | 'EMAIL';
export const WEBHOOK_LANGUAGES = ['en', 'tr'] as const;

/** An endpoint's settings as they will be saved (after an update is merged with what is stored). */
export interface EndpointSettings {
  url: string;
  eventTypes: EventType[];
  description: string | null;
  format: WebhookFormat;
  enabled: boolean;
  language: string;
}

const MAX_URL_LENGTH = 2048;
const MAX_DESCRIPTION_LENGTH = 200;
const MAX_EMAIL_ADDRESSES = 10;

/** The addresses of a `mailto:` URL (comma-separated, as RFC 6068 writes several). */
export function mailtoAddresses(url: string): string[] {
  const list = url.replace(/^mailto:/i, '').split('?')[0] ?? '';
  let decoded = list;
  try {
    decoded = decodeURIComponent(list);
  } catch {
    // A stray % is read as written; the address check then names it.
  }
  return decoded
    .split(',')
    .map((address) => address.trim())
    .filter((address) => address !== '');
}

/** What is wrong with the URL for this format, in words that say what to write instead; undefined when fine. */
export function urlProblem(url: string, format: WebhookFormat): string | undefined {
  if (url.length > MAX_URL_LENGTH) return `Use a URL of at most ${MAX_URL_LENGTH} characters.`;
  if (format === 'EMAIL') {
    if (!/^mailto:/i.test(url)) {
      return 'Email endpoints take "mailto:" and the addresses, e.g. mailto:ops@example.com,oncall@example.com.';
    }
    const addresses = mailtoAddresses(url);
    if (addresses.length === 0) return 'Write at least one address after "mailto:".';
    if (addresses.length > MAX_EMAIL_ADDRESSES) return `Write at most ${MAX_EMAIL_ADDRESSES} addresses.`;
    const bad = addresses.filter((address) => !isAddrSpec(address));
    if (bad.length > 0) return `These are not email addresses: ${bad.join(', ')}.`;
    return undefined;
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Write an absolute URL such as https://hooks.example.com/mail.';
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return 'Use an https:// (or http://) URL; for email alerts choose the EMAIL format.';
  }
  if (parsed.hostname === '') return 'Write the host name of the receiver.';
  if (parsed.username !== '' || parsed.password !== '') {
    return 'Leave credentials out of the URL: they would be shown to everyone who can read endpoints. Verify requests with the signature instead.';
  }
  if (parsed.hash !== '') return 'Leave out the #fragment: it is never sent.';
  return undefined;
}

/** Every problem of an endpoint's settings, each naming its input field (`input.url`, …). */
export function endpointProblems(settings: EndpointSettings, argument = 'input'): FieldError[] {
  const problems: FieldError[] = [];
  const url = urlProblem(settings.url.trim(), settings.format);
  if (url) problems.push({ field: `${argument}.url`, message: url });
  if (settings.eventTypes.length === 0) {
    problems.push({ field: `${argument}.eventTypes`, message: 'Choose at least one event type.' });
  }
  if (!(WEBHOOK_LANGUAGES as readonly string[]).includes(settings.language)) {
    problems.push({ field: `${argument}.language`, message: 'Choose the language "en" or "tr".' });
  }
  if (settings.description !== null && settings.description.length > MAX_DESCRIPTION_LENGTH) {
    problems.push({
      field: `${argument}.description`,
      message: `Write a description of at most ${MAX_DESCRIPTION_LENGTH} characters.`,
    });
  }
  return problems;
}
