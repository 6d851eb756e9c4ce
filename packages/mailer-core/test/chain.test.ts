import { buildChain, type ChainProvider } from '../src/chain';
import type { Channel } from '../src/provider';

/**
 * Compact provider notation: `<id>:<type>/<service>/<status>/<priority>`, type s = smtp, a = api_smtp,
 * c = crm_api_smtp; service P/F; status + (active) or - (inactive).
 */
function providers(spec: string): ChainProvider[] {
  if (spec.trim() === '') return [];
  return spec.split(/\s+/).map((entry) => {
    const match = /^(\w+):([sac])\/([PF])\/([+-])\/(\d+)$/.exec(entry);
    if (!match) throw new Error(`bad provider notation ${entry}`);
    const [, id = '', type, service, status, priority = '0'] = match;
    return {
      id,
      type: type === 's' ? 'smtp' : type === 'a' ? 'api_smtp' : 'crm_api_smtp',
      serviceType: service === 'P' ? 'primary' : 'fallback',
      status: status === '+' ? 'active' : 'inactive',
      priority: Number(priority),
    };
  });
}

describe('buildChain', () => {
  it.each<[string, string, Channel, string]>([
    ['no providers', '', 'DEFAULT', ''],
    ['one active primary', 'a:s/P/+/1', 'DEFAULT', 'a'],
    ['inactive providers are ignored', 'a:s/P/-/1 b:s/F/+/2', 'DEFAULT', 'b'],
    ['primary before fallback whatever the priority', 'f:s/F/+/1 p:s/P/+/2', 'DEFAULT', 'p f'],
    ['each group by priority', 'f2:a/F/+/4 p2:s/P/+/3 f1:s/F/+/2 p1:a/P/+/1', 'DEFAULT', 'p1 p2 f1 f2'],
    ['api_smtp serves DEFAULT like smtp', 'x:a/P/+/2 y:s/P/+/1', 'DEFAULT', 'y x'],
    ['CRM providers stay out of DEFAULT', 'c:c/P/+/1 d:s/P/+/2', 'DEFAULT', 'd'],
    ['CRM walks its own providers, then the whole DEFAULT chain', 'd:s/P/+/1 c:c/P/+/2', 'CRM', 'c d'],
    [
      'CRM: own primary, own fallback, then DEFAULT primary and fallback',
      'df:s/F/+/1 cp:c/P/+/4 dp:a/P/+/2 cf:c/F/+/3',
      'CRM',
      'cp cf dp df',
    ],
    ['CRM with no CRM provider falls back to DEFAULT', 'd:s/P/+/1 e:s/F/+/2', 'CRM', 'd e'],
    ['CRM with inactive CRM provider', 'c:c/P/-/1 d:s/P/+/2', 'CRM', 'd'],
    ['DEFAULT chain ignores inactive in the CRM tail too', 'c:c/P/+/1 d:s/P/-/2 e:s/F/+/3', 'CRM', 'c e'],
    ['a repeated provider appears once', 'a:s/P/+/1 a:s/P/+/1 b:s/F/+/2', 'DEFAULT', 'a b'],
    ['equal priorities keep the input order', 'b:s/P/+/1 a:s/P/+/1', 'DEFAULT', 'b a'],
    ['all inactive', 'a:s/P/-/1 b:c/F/-/2', 'CRM', ''],
  ])('%s', (_name, spec, channel, expected) => {
    const ids = buildChain(providers(spec), channel).map((provider) => provider.id);
    expect(ids.join(' ')).toBe(expected);
  });

  it('returns the objects it was given, so callers keep their own fields', () => {
    const list = providers('a:s/P/+/1').map((provider) => ({ ...provider, extra: 42 }));
    expect(buildChain(list, 'DEFAULT')[0]).toBe(list[0]);
  });
});
