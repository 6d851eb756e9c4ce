import type { Channel } from '../../src/graphql/types';
import {
  SUPPRESSION_SCOPES,
  channelOf,
  exportFileName,
  scopeOf,
  type SuppressionScope,
} from '../../src/lib/suppression-scope';

describe('which mail a suppression applies to', () => {
  it.each<[Channel | null, SuppressionScope]>([
    [null, 'ALL'],
    ['DEFAULT', 'DEFAULT'],
    ['CRM', 'CRM'],
  ])('the channel %s is the scope %s, and back', (channel, scope) => {
    expect(scopeOf(channel)).toBe(scope);
    expect(channelOf(scope)).toBe(channel);
  });

  it('offers all mail first', () => {
    expect(SUPPRESSION_SCOPES).toEqual(['ALL', 'DEFAULT', 'CRM']);
  });

  it('names an export by its day', () => {
    expect(exportFileName(new Date('2026-12-07T23:30:00Z'))).toBe('suppressions-2026-12-07.csv');
  });
});
