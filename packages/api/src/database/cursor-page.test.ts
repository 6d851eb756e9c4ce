import { BadUserInputError } from '../errors';
import { CURSOR_PART, decodeCursor, encodeCursor } from './cursor-page';

const TIME_ID = [CURSOR_PART.time, CURSOR_PART.uuid];
const encoded = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('page cursors', () => {
  it('give back the key they were made from', () => {
    const key = ['2026-12-07T10:00:00.123456Z', '0b6f0c1e-8a51-4d2e-9f3a-2c1d5e6f7a8b'];
    expect(decodeCursor(encodeCursor(key), TIME_ID)).toEqual(key);
    expect(decodeCursor(encodeCursor(['42']), [CURSOR_PART.seq])).toEqual(['42']);
  });

  it.each([null, undefined, ''])('are optional (%p)', (cursor) => {
    expect(decodeCursor(cursor, TIME_ID)).toBeNull();
  });

  it.each([
    ['not base64 JSON', 'not-a-cursor'],
    ['a key of the wrong length', encoded(['2026-12-07T10:00:00Z'])],
    ['a part of the wrong shape', encoded(['yesterday', '0b6f0c1e-8a51-4d2e-9f3a-2c1d5e6f7a8b'])],
    ['a part that is not text', encoded([1, 2])],
    ['an object', encoded({ time: '2026-12-07T10:00:00Z' })],
  ])('refuse %s as a bad `after`', (_what, cursor) => {
    expect(() => decodeCursor(cursor, TIME_ID)).toThrow(BadUserInputError);
    try {
      decodeCursor(cursor, TIME_ID);
    } catch (error) {
      expect((error as BadUserInputError).fields).toEqual([
        { field: 'after', message: 'This cursor is not valid; pass the endCursor of a previous page.' },
      ]);
    }
  });
});
