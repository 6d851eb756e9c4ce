import { EVENT_TYPES, type WebhookEndpoint } from '../../src/graphql/types';
import {
  DESCRIPTION_MAX,
  EVENT_GROUPS,
  addressesOf,
  emptyEndpointForm,
  endpointFieldOf,
  endpointName,
  endpointTarget,
  formFromEndpoint,
  mailtoUrl,
  splitAddresses,
  toEndpointInput,
  usesLanguage,
  validateEndpoint,
  type EndpointFormValues,
} from '../../src/lib/webhook-endpoints';

const form = (change: Partial<EndpointFormValues>): EndpointFormValues => ({
  ...emptyEndpointForm(),
  url: 'https://hooks.example.com/mail',
  ...change,
});

function endpoint(change: Partial<WebhookEndpoint>): WebhookEndpoint {
  return {
    id: 'e1',
    url: 'https://hooks.example.com/mail',
    description: null,
    eventTypes: ['DELIVERY_BOUNCED'],
    format: 'STANDARD',
    enabled: true,
    language: 'en',
    createdAt: '2026-12-07T10:00:00Z',
    failingSince: null,
    disabledReason: null,
    lastDelivery: null,
    ...change,
  };
}

describe('the endpoint form rules', () => {
  it.each<[string, Partial<EndpointFormValues>, Record<string, string>]>([
    ['a webhook with a URL', {}, {}],
    ['a webhook without a URL', { url: '  ' }, { url: 'urlRequired' }],
    ['a webhook with no scheme', { url: 'hooks.example.com/mail' }, { url: 'urlInvalid' }],
    ['a webhook over ftp', { url: 'ftp://hooks.example.com/' }, { url: 'urlInvalid' }],
    ['a Slack channel over plain http', { format: 'SLACK', url: 'http://chat.local/hooks/x' }, {}],
    ['email without addresses', { format: 'EMAIL', addresses: ' \n ' }, { addresses: 'addressesRequired' }],
    [
      'email with a bad address',
      { format: 'EMAIL', addresses: 'ops@example.com\nnot-mail' },
      { addresses: 'addressInvalid' },
    ],
    [
      'email with two addresses (URL ignored)',
      { format: 'EMAIL', url: '', addresses: 'a@example.com, b@example.com' },
      {},
    ],
    ['no event chosen', { eventTypes: [] }, { eventTypes: 'eventTypesRequired' }],
    [
      'a description too long',
      { description: 'x'.repeat(DESCRIPTION_MAX + 1) },
      { description: 'descriptionTooLong' },
    ],
    ['a description at the limit', { description: 'x'.repeat(DESCRIPTION_MAX) }, {}],
  ])('%s', (_case, change, expected) => {
    const problems = validateEndpoint(form(change));
    expect(
      Object.fromEntries(Object.entries(problems).map(([field, problem]) => [field, problem.key])),
    ).toEqual(expected);
  });

  it('names the address that is wrong', () => {
    expect(validateEndpoint(form({ format: 'EMAIL', addresses: 'ok@example.com nope' })).addresses).toEqual({
      key: 'addressInvalid',
      params: { address: 'nope' },
    });
  });
});

describe('email channels as mailto: URLs', () => {
  it.each<[string, string[]]>([
    ['a@example.com', ['a@example.com']],
    ['a@example.com,\nb@example.com; a@example.com', ['a@example.com', 'b@example.com']],
    ['  ', []],
  ])('splits %j into %j', (text, addresses) => {
    expect(splitAddresses(text)).toEqual(addresses);
  });

  it.each<[string, string[]]>([
    ['mailto:a@example.com,b@example.com', ['a@example.com', 'b@example.com']],
    ['MAILTO:ops@example.com?subject=x', ['ops@example.com']],
    ['mailto:a%40example.com', ['a@example.com']],
    ['https://hooks.example.com/', []],
  ])('reads %s as %j', (url, addresses) => {
    expect(addressesOf(url)).toEqual(addresses);
  });

  it('stores the typed list as one mailto: URL and reads it back', () => {
    const input = toEndpointInput(form({ format: 'EMAIL', addresses: 'a@example.com\nb@example.com' }));
    expect(input.url).toBe('mailto:a@example.com,b@example.com');
    expect(mailtoUrl(['a@example.com'])).toBe('mailto:a@example.com');
    const back = formFromEndpoint(endpoint({ format: 'EMAIL', url: input.url, language: 'tr' }));
    expect(back).toMatchObject({
      format: 'EMAIL',
      url: '',
      addresses: 'a@example.com\nb@example.com',
      language: 'tr',
    });
  });
});

describe('the endpoint input and names', () => {
  it('sends the events in the panel order, a trimmed URL and no empty description', () => {
    const input = toEndpointInput(
      form({
        url: ' https://x.example/h ',
        eventTypes: ['FALLBACK_USED', 'DELIVERY_QUEUED'],
        description: ' ',
      }),
    );
    expect(input).toEqual({
      url: 'https://x.example/h',
      format: 'STANDARD',
      eventTypes: ['DELIVERY_QUEUED', 'FALLBACK_USED'],
      description: null,
      enabled: true,
      language: 'en',
    });
  });

  it('groups every event type once: delivery events, then provider events', () => {
    expect(EVENT_GROUPS.map((group) => group.group)).toEqual(['delivery', 'provider']);
    expect(EVENT_GROUPS.flatMap((group) => group.types)).toEqual([...EVENT_TYPES]);
    expect(EVENT_GROUPS[1]?.types).toEqual([
      'PROVIDER_PAUSED',
      'PROVIDER_RECOVERED',
      'FALLBACK_USED',
      'PROVIDER_OAUTH_REVOKED',
    ]);
  });

  it.each([
    ['STANDARD', false],
    ['SLACK', true],
    ['EMAIL', true],
  ] as const)('%s messages have a language: %s', (format, expected) => {
    expect(usesLanguage(format)).toBe(expected);
  });

  it.each<[Partial<WebhookEndpoint>, string, string]>([
    [{ description: 'Order service' }, 'https://hooks.example.com/mail', 'Order service'],
    [{ description: '  ' }, 'https://hooks.example.com/mail', 'https://hooks.example.com/mail'],
    [
      { format: 'EMAIL', url: 'mailto:a@example.com,b@example.com' },
      'a@example.com, b@example.com',
      'a@example.com, b@example.com',
    ],
  ])('an endpoint %j sends to %s and is called %s', (change, target, name) => {
    expect(endpointTarget(endpoint(change))).toBe(target);
    expect(endpointName(endpoint(change))).toBe(name);
  });

  it.each([
    ['input.url', 'STANDARD', 'url'],
    ['input.url', 'EMAIL', 'addresses'],
    ['url', 'SLACK', 'url'],
    ['input.eventTypes', 'STANDARD', 'eventTypes'],
    ['input.description', 'STANDARD', 'description'],
    ['input.language', 'SLACK', null],
  ] as const)('the API field %s of a %s endpoint is the form field %s', (path, format, field) => {
    expect(endpointFieldOf(path, format)).toBe(field);
  });
});
