import { deleteImpact, groupChain, ordinal, type ChainMember } from '../../src/lib/chain';

/** "dP1" is an active default primary, "dF1" a default fallback, "c…" CRM; a trailing "-" means inactive. */
function member(code: string): ChainMember {
  return {
    id: code,
    channel: code.startsWith('c') ? 'CRM' : 'DEFAULT',
    serviceType: code[1] === 'P' ? 'PRIMARY' : 'FALLBACK',
    status: code.endsWith('-') ? 'INACTIVE' : 'ACTIVE',
  };
}
const members = (...codes: string[]) => codes.map(member);

describe('groupChain', () => {
  it('groups per channel into primaries then fallbacks, positions counting active providers only', () => {
    const groups = groupChain(members('dF1', 'cP1', 'dP1', 'dP2-', 'dP3', 'dF2', 'cF1-'));
    const view = groups.map((group) => ({
      channel: group.channel,
      primary: group.primary.rows.map((row) => [row.provider.id, row.position]),
      fallback: group.fallback.rows.map((row) => [row.provider.id, row.position]),
    }));
    expect(view).toEqual([
      {
        channel: 'DEFAULT',
        primary: [
          ['dP1', 1],
          ['dP2-', null],
          ['dP3', 2],
        ],
        fallback: [
          ['dF1', 1],
          ['dF2', 2],
        ],
      },
      { channel: 'CRM', primary: [['cP1', 1]], fallback: [['cF1-', null]] },
    ]);
  });

  it('keeps both channels and both sections when there is nothing to list', () => {
    const groups = groupChain([]);
    expect(
      groups.map((group) => [group.channel, group.primary.rows.length, group.fallback.rows.length]),
    ).toEqual([
      ['DEFAULT', 0, 0],
      ['CRM', 0, 0],
    ]);
  });
});

describe('ordinal', () => {
  it.each([
    [1, 'en', '1st'],
    [2, 'en', '2nd'],
    [3, 'en', '3rd'],
    [4, 'en', '4th'],
    [11, 'en', '11th'],
    [12, 'en', '12th'],
    [21, 'en', '21st'],
    [22, 'en', '22nd'],
    [1, 'tr', '1.'],
    [12, 'tr', '12.'],
  ])('%i in %s is %s', (position, locale, expected) => {
    expect(ordinal(position, locale)).toBe(expected);
  });
});

describe('deleteImpact', () => {
  it.each([
    ['an inactive provider', ['dP1', 'dP2-'], 'dP2-', { kind: 'NOT_IN_CHAIN' }],
    ['an unknown provider', ['dP1'], 'x', { kind: 'NOT_IN_CHAIN' }],
    ['the only active provider', ['dP1', 'dF1-'], 'dP1', { kind: 'STOPS_ALL_MAIL' }],
    [
      'the last active primary, with fallbacks',
      ['dP1', 'dP2-', 'dF1', 'dF2'],
      'dP1',
      { kind: 'CHANNEL_TO_FALLBACKS', channel: 'DEFAULT', fallbacks: 2 },
    ],
    [
      'one of two primaries',
      ['dP1', 'dP2', 'dF1'],
      'dP2',
      { kind: 'NEXT_TAKES_OVER', channel: 'DEFAULT', remaining: 2 },
    ],
    ['a fallback', ['dP1', 'dF1'], 'dF1', { kind: 'NEXT_TAKES_OVER', channel: 'DEFAULT', remaining: 1 }],
    [
      'the last default provider while CRM has its own',
      ['dP1', 'cP1'],
      'dP1',
      { kind: 'CHANNEL_STOPS', channel: 'DEFAULT' },
    ],
    [
      'the last CRM provider: CRM mail goes on through the default chain',
      ['dP1', 'cP1'],
      'cP1',
      { kind: 'CHANNEL_TO_DEFAULT', channel: 'CRM' },
    ],
    ['the only CRM provider with no default provider', ['cP1', 'dP1-'], 'cP1', { kind: 'STOPS_ALL_MAIL' }],
    [
      'the last CRM primary with a CRM fallback',
      ['dP1', 'cP1', 'cF1'],
      'cP1',
      { kind: 'CHANNEL_TO_FALLBACKS', channel: 'CRM', fallbacks: 1 },
    ],
  ])('deleting %s', (_what, codes, id, expected) => {
    expect(deleteImpact(members(...codes), id)).toEqual(expected);
  });
});
