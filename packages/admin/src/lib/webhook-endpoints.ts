// What the Notifications page edits: an endpoint's form, its rules, and the input the API takes. An email
// channel is stored as one `mailto:` URL listing its addresses; the form shows them as a list.

import { isAddrSpec } from '@mail-providers/mailer-core/rules';
import {
  EVENT_TYPES,
  type EventType,
  type WebhookEndpoint,
  type WebhookEndpointInput,
  type WebhookFormat,
} from '../graphql/types';

export type EventGroup = 'delivery' | 'provider';

/** The event types as the form groups them: what happens to a message, and what happens to a provider. */
export const EVENT_GROUPS: ReadonlyArray<{ group: EventGroup; types: readonly EventType[] }> = [
  { group: 'delivery', types: EVENT_TYPES.filter((type) => type.startsWith('DELIVERY_')) },
  { group: 'provider', types: EVENT_TYPES.filter((type) => !type.startsWith('DELIVERY_')) },
];

export type EndpointLanguage = 'en' | 'tr';

export interface EndpointFormValues {
  format: WebhookFormat;
  /** The URL of a STANDARD or SLACK endpoint. */
  url: string;
  /** The addresses of an EMAIL channel, one per line (commas and spaces separate too). */
  addresses: string;
  eventTypes: EventType[];
  language: EndpointLanguage;
  description: string;
  enabled: boolean;
}

export type EndpointField = 'url' | 'addresses' | 'eventTypes' | 'description';

/** A rule the form broke: an i18n key under `notifications.rules`, with its values. */
export interface EndpointProblem {
  key: string;
  params?: Record<string, string | number>;
}

export const DESCRIPTION_MAX = 200;
const MAILTO = 'mailto:';

/** SLACK and EMAIL messages are written for people, in the language chosen; STANDARD carries JSON. */
export function usesLanguage(format: WebhookFormat): boolean {
  return format !== 'STANDARD';
}

/** The addresses typed in the form, in order, without blanks or repeats. */
export function splitAddresses(text: string): string[] {
  const seen = new Set<string>();
  for (const part of text.split(/[\s,;]+/)) {
    const address = part.trim();
    if (address !== '') seen.add(address);
  }
  return [...seen];
}

/** `mailto:a@example.com,b@example.com`, as the API stores an email channel. */
export function mailtoUrl(addresses: readonly string[]): string {
  return `${MAILTO}${addresses.join(',')}`;
}

/** The addresses of a `mailto:` URL (empty for any other URL). */
export function addressesOf(url: string): string[] {
  if (!url.toLowerCase().startsWith(MAILTO)) return [];
  return splitAddresses(decodeURIComponent(url.slice(MAILTO.length).split('?')[0] ?? ''));
}

/** What the panel calls an endpoint: its description, else where it sends. */
export function endpointName(endpoint: Pick<WebhookEndpoint, 'format' | 'url' | 'description'>): string {
  return endpoint.description?.trim() || endpointTarget(endpoint);
}

/** Where an endpoint sends: its addresses for email, else its URL. */
export function endpointTarget(endpoint: Pick<WebhookEndpoint, 'format' | 'url'>): string {
  return endpoint.format === 'EMAIL' ? addressesOf(endpoint.url).join(', ') : endpoint.url;
}

export function emptyEndpointForm(language: EndpointLanguage = 'en'): EndpointFormValues {
  return {
    format: 'STANDARD',
    url: '',
    addresses: '',
    eventTypes: [...EVENT_TYPES],
    language,
    description: '',
    enabled: true,
  };
}

export function formFromEndpoint(endpoint: WebhookEndpoint): EndpointFormValues {
  const email = endpoint.format === 'EMAIL';
  return {
    format: endpoint.format,
    url: email ? '' : endpoint.url,
    addresses: email ? addressesOf(endpoint.url).join('\n') : '',
    eventTypes: [...endpoint.eventTypes],
    language: endpoint.language === 'tr' ? 'tr' : 'en',
    description: endpoint.description ?? '',
    enabled: endpoint.enabled,
  };
}

function urlProblem(text: string): EndpointProblem | null {
  const value = text.trim();
  if (value === '') return { key: 'urlRequired' };
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return { key: 'urlInvalid' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { key: 'urlInvalid' };
  return null;
}

function addressesProblem(text: string): EndpointProblem | null {
  const addresses = splitAddresses(text);
  if (addresses.length === 0) return { key: 'addressesRequired' };
  const bad = addresses.find((address) => !isAddrSpec(address));
  return bad === undefined ? null : { key: 'addressInvalid', params: { address: bad } };
}

/** What the form must fix before it is sent; the API checks again (and its outbound policy decides hosts). */
export function validateEndpoint(
  values: EndpointFormValues,
): Partial<Record<EndpointField, EndpointProblem>> {
  const problems: Partial<Record<EndpointField, EndpointProblem>> = {};
  const target = values.format === 'EMAIL' ? addressesProblem(values.addresses) : urlProblem(values.url);
  if (target) problems[values.format === 'EMAIL' ? 'addresses' : 'url'] = target;
  if (values.eventTypes.length === 0) problems.eventTypes = { key: 'eventTypesRequired' };
  if (values.description.trim().length > DESCRIPTION_MAX) {
    problems.description = { key: 'descriptionTooLong', params: { max: DESCRIPTION_MAX } };
  }
  return problems;
}

/** The input of create and update; the event types keep the panel's order. */
export function toEndpointInput(values: EndpointFormValues): WebhookEndpointInput {
  const description = values.description.trim();
  return {
    url: values.format === 'EMAIL' ? mailtoUrl(splitAddresses(values.addresses)) : values.url.trim(),
    format: values.format,
    eventTypes: EVENT_TYPES.filter((type) => values.eventTypes.includes(type)),
    description: description === '' ? null : description,
    enabled: values.enabled,
    language: values.language,
  };
}

/** The form field an API error names (`input.url` for an email channel is its addresses). */
export function endpointFieldOf(path: string, format: WebhookFormat): EndpointField | null {
  const name = path.replace(/^input\./, '');
  if (name === 'url') return format === 'EMAIL' ? 'addresses' : 'url';
  if (name === 'eventTypes' || name === 'description') return name;
  return null;
}
