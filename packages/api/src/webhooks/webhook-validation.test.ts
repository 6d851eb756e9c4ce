import { endpointProblems, mailtoAddresses, type EndpointSettings } from './webhook-validation';

const valid: EndpointSettings = {
  url: 'https://hooks.example.com/mail',
  eventTypes: ['DELIVERY_SENT'],
  description: null,
  format: 'STANDARD',
  enabled: true,
  language: 'en',
};

const tenAddresses = Array.from({ length: 10 }, (_, i) => `a${i}@example.com`).join(',');

describe('webhook endpoint validation', () => {
  it.each<[string, Partial<EndpointSettings>, Array<[string, RegExp]>]>([
    ['an https URL', {}, []],
    ['an http URL', { url: 'http://10.0.0.5:8080/hook?x=1' }, []],
    ['a Slack URL for SLACK', { url: 'https://hooks.slack.com/services/T/B/x', format: 'SLACK' }, []],
    ['one address for EMAIL', { url: 'mailto:ops@example.com', format: 'EMAIL' }, []],
    ['ten addresses for EMAIL', { url: `mailto:${tenAddresses}`, format: 'EMAIL' }, []],
    ['Turkish', { language: 'tr' }, []],
    ['a relative URL', { url: '/hook' }, [['input.url', /absolute URL/]]],
    ['an ftp URL', { url: 'ftp://example.com/x' }, [['input.url', /https:\/\//]]],
    ['a mailto URL for STANDARD', { url: 'mailto:ops@example.com' }, [['input.url', /EMAIL format/]]],
    ['credentials in the URL', { url: 'https://u:p@example.com/' }, [['input.url', /credentials/]]],
    ['a fragment', { url: 'https://example.com/#x' }, [['input.url', /fragment/]]],
    ['an https URL for EMAIL', { format: 'EMAIL' }, [['input.url', /mailto:/]]],
    ['no address for EMAIL', { url: 'mailto:', format: 'EMAIL' }, [['input.url', /at least one/]]],
    [
      'eleven addresses for EMAIL',
      { url: `mailto:${tenAddresses},b@example.com`, format: 'EMAIL' },
      [['input.url', /at most 10/]],
    ],
    [
      'a bad address for EMAIL',
      { url: 'mailto:ops@example.com,not-an-address', format: 'EMAIL' },
      [['input.url', /not-an-address/]],
    ],
    ['no event types', { eventTypes: [] }, [['input.eventTypes', /at least one/]]],
    ['another language', { language: 'de' }, [['input.language', /"en" or "tr"/]]],
    ['a long description', { description: 'x'.repeat(201) }, [['input.description', /200/]]],
    [
      'everything wrong at once',
      { url: 'nope', eventTypes: [], language: 'fr' },
      [
        ['input.url', /absolute/],
        ['input.eventTypes', /event type/],
        ['input.language', /language/],
      ],
    ],
  ])('%s', (_name, change, expected) => {
    const problems = endpointProblems({ ...valid, ...change });
    expect(problems.map((problem) => problem.field)).toEqual(expected.map(([field]) => field));
    problems.forEach((problem, i) => expect(problem.message).toMatch(expected[i]?.[1] ?? /^$/));
  });

  it('reads the addresses of a mailto URL', () => {
    expect(mailtoAddresses('mailto:a@example.com,%20b@example.com?subject=x')).toEqual([
      'a@example.com',
      'b@example.com',
    ]);
  });
});
