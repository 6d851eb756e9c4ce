import type { ChainProvider, DeliveryChain, SetupWarning } from '../../src/graphql/types';
import { mergeWarnings, pictureOf } from '../../src/lib/chain';

function node(
  id: string,
  channel: 'DEFAULT' | 'CRM',
  serviceType: 'PRIMARY' | 'FALLBACK' = 'PRIMARY',
): ChainProvider {
  return {
    id,
    name: id,
    type: channel === 'CRM' ? 'CRM_API_SMTP' : 'SMTP',
    channel,
    serviceType,
    status: 'ACTIVE',
    host: `${id}.example.com`,
    port: 587,
    priority: 1,
    health: { state: 'CLOSED' },
  };
}

function chain(
  channel: 'DEFAULT' | 'CRM',
  providers: ChainProvider[],
  warnings: SetupWarning[] = [],
): DeliveryChain {
  return { channel, providers, warnings };
}

describe('chain drawing', () => {
  const defaults = chain('DEFAULT', [node('zepto', 'DEFAULT'), node('office', 'DEFAULT', 'FALLBACK')]);

  it('draws the default chain as the API orders it', () => {
    expect(pictureOf(defaults, defaults)).toEqual({ own: defaults.providers, lastResort: [] });
  });

  it.each([
    ['with the default chain appended by the API', [node('crm-a', 'CRM'), ...defaults.providers]],
    ['with its own providers only', [node('crm-a', 'CRM')]],
  ])('draws CRM as its providers, then the default chain as last resort (%s)', (_case, providers) => {
    const picture = pictureOf(chain('CRM', providers), defaults);
    expect(picture.own.map((provider) => provider.id)).toEqual(['crm-a']);
    expect(picture.lastResort.map((provider) => provider.id)).toEqual(['zepto', 'office']);
  });

  it('draws nothing before the chain is loaded', () => {
    expect(pictureOf(null, null)).toEqual({ own: [], lastResort: [] });
  });
});

describe('setup warnings of both channels', () => {
  const warning = (code: string, message: string, providerId: string | null = null): SetupWarning => ({
    code,
    severity: 'warning',
    providerId,
    message,
  });

  it('shows a warning reported by both channels once, but keeps different ones with the same code', () => {
    const shared = warning('NOT_TESTED_SINCE_CHANGE', '"zepto" has not been tested.', 'zepto');
    const merged = mergeWarnings(
      chain('DEFAULT', [], [warning('NO_ACTIVE_PRIMARY', 'DEFAULT has no primary.'), shared]),
      chain('CRM', [], [warning('NO_ACTIVE_PRIMARY', 'CRM has no CRM provider.'), shared]),
    );
    expect(merged.map((item) => [item.channel, item.message])).toEqual([
      ['DEFAULT', 'DEFAULT has no primary.'],
      ['DEFAULT', '"zepto" has not been tested.'],
      ['CRM', 'CRM has no CRM provider.'],
    ]);
  });

  it('accepts channels not loaded yet', () => {
    expect(mergeWarnings(null, chain('CRM', []))).toEqual([]);
  });
});
