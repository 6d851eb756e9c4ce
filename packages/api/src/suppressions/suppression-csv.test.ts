import {
  formatSuppressionCsv,
  MAX_IMPORT_LINES,
  parseSuppressionCsv,
  scopeOf,
  type SuppressionCsvRow,
} from './suppression-csv';

const HEADER = 'email,channel,source,reason,created_at';

describe('suppression CSV', () => {
  it('writes the header line first and an empty channel for all mail', () => {
    const csv = formatSuppressionCsv([
      {
        email: 'ann@example.com',
        scope: 'ALL',
        source: 'HARD_BOUNCE',
        reason: '550 5.1.1 no such user, "ann"',
        createdAt: new Date('2026-01-02T03:04:05.000Z'),
      },
      { email: 'bob@example.com', scope: 'CRM', source: 'COMPLAINT', reason: null, createdAt: new Date(0) },
    ]);
    expect(csv.split('\n')).toEqual([
      HEADER,
      'ann@example.com,,HARD_BOUNCE,"550 5.1.1 no such user, ""ann""",2026-01-02T03:04:05.000Z',
      'bob@example.com,CRM,COMPLAINT,,1970-01-01T00:00:00.000Z',
      '',
    ]);
  });

  it('reads back what it writes (round trip), reasons with commas, quotes and line breaks included', () => {
    const rows: SuppressionCsvRow[] = [
      {
        email: 'ann@example.com',
        scope: 'ALL',
        source: 'HARD_BOUNCE',
        reason: 'a, "quoted"\nreason',
        createdAt: new Date('2026-01-02T03:04:05.000Z'),
      },
      {
        email: 'bob@example.com',
        scope: 'DEFAULT',
        source: 'MANUAL',
        reason: null,
        createdAt: new Date(1000),
      },
    ];
    const { entries, errors } = parseSuppressionCsv(formatSuppressionCsv(rows));
    expect(errors).toEqual([]);
    expect(
      entries.map(({ email, scope, source, reason, createdAt }) => ({
        email,
        scope,
        source,
        reason,
        createdAt,
      })),
    ).toEqual(rows);
    // The second entry starts after the reason's line break.
    expect(entries.map((entry) => entry.line)).toEqual([3, 4]);
  });

  it('takes a file without a header (export column order), columns in any order with one, and only an email', () => {
    expect(parseSuppressionCsv('ann@example.com,CRM\n').entries[0]).toMatchObject({
      email: 'ann@example.com',
      scope: 'CRM',
      source: 'IMPORT',
      reason: null,
      createdAt: null,
    });
    expect(parseSuppressionCsv('reason,EMAIL\nmoved away,Ann@Example.com\n').entries[0]).toMatchObject({
      email: 'ann@example.com',
      scope: 'ALL',
      reason: 'moved away',
    });
  });

  it.each([
    ['no address', ',CRM', 'Give an email address'],
    ['not an address', 'ann-at-example.com', 'is not an email address'],
    ['a display name', 'Ann <ann@example.com>', 'is not an email address'],
    ['an unknown channel', 'ann@example.com,SMS', 'Leave channel empty'],
    ['an unknown source', 'ann@example.com,,BOUNCE', 'Leave source empty or write one of'],
    ['a reason too long', `ann@example.com,,,${'x'.repeat(501)}`, 'Shorten the reason'],
    ['a bad time', 'ann@example.com,,,,yesterday', 'Leave created_at empty'],
  ])('refuses a line with %s, naming its line, and still takes the good lines', (_case, line, message) => {
    const { entries, errors } = parseSuppressionCsv(
      `${HEADER}\ngood@example.com\n${line}\nalso@example.com\n`,
    );
    expect(entries.map((entry) => entry.email)).toEqual(['good@example.com', 'also@example.com']);
    expect(errors).toEqual([{ line: 3, message: expect.stringContaining(message) }]);
  });

  it.each([
    ['an unknown column', 'email,colour\nann@example.com,red\n', 1, 'Unknown column "colour"'],
    ['an unclosed quote', 'ann@example.com,"CRM\n', 1, 'not valid CSV'],
    ['too many lines', `${HEADER}\n${'a@example.com\n'.repeat(MAX_IMPORT_LINES + 1)}`, 0, 'at most'],
  ])('refuses the whole text for %s', (_case, text, line, message) => {
    const { entries, errors } = parseSuppressionCsv(text);
    expect(entries).toEqual([]);
    expect(errors).toEqual([{ line, message: expect.stringContaining(message) }]);
  });

  it.each([
    ['', 'ALL'],
    ['all', 'ALL'],
    ['DEFAULT', 'DEFAULT'],
    [' crm ', 'CRM'],
    ['SMS', null],
  ])('reads the channel %j as the scope %j', (channel, scope) => {
    expect(scopeOf(channel)).toBe(scope);
  });
});
