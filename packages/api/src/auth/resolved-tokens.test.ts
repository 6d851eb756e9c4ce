import type { AuthToken } from '../context';
import { EVERY_CREDENTIAL } from '../database/change-listener';
import { ResolvedTokens } from './resolved-tokens';

const tokenNamed = (id: string): AuthToken => ({ id, name: id, scopes: ['READ'], createdBy: null });

/** A lookup the test answers when it chooses. */
function heldLookup(token: AuthToken | null) {
  let answer = (): void => undefined;
  const answered = new Promise<void>((resolve) => (answer = resolve));
  return { lookUp: () => answered.then(() => token), answer };
}

describe('ResolvedTokens', () => {
  let listening: boolean;
  let lookups: number;
  let tokens: ResolvedTokens;
  const lookUp = (token: AuthToken | null) => () => {
    lookups++;
    return Promise.resolve(token);
  };

  beforeEach(() => {
    listening = true;
    lookups = 0;
    tokens = new ResolvedTokens({ ttlMs: 60_000, maxEntries: 10, mayRemember: () => listening });
  });

  it('remembers a live token while revocations are heard of', async () => {
    await tokens.resolve('h1', lookUp(tokenNamed('a')));
    expect((await tokens.resolve('h1', lookUp(tokenNamed('a'))))?.id).toBe('a');
    expect(lookups).toBe(1);
  });

  it('remembers nothing, and serves nothing remembered, while revocations could go unheard', async () => {
    await tokens.resolve('h1', lookUp(tokenNamed('a')));
    listening = false;
    await tokens.resolve('h1', lookUp(tokenNamed('a')));
    await tokens.resolve('h1', lookUp(tokenNamed('a')));
    expect(lookups).toBe(3);
  });

  it('does not remember that a token is unknown or revoked', async () => {
    await tokens.resolve('h1', lookUp(null));
    expect((await tokens.resolve('h1', lookUp(tokenNamed('a'))))?.id).toBe('a');
    expect(lookups).toBe(2);
  });

  it.each([
    ['the revoked token only', 'a', ['a']],
    ['every token', EVERY_CREDENTIAL, ['a', 'b']],
    ['nothing for an unknown id', 'c', []],
  ])('forgets %s', async (_case, revoked, lookedUpAgain) => {
    const looked: string[] = [];
    const recordedLookUp = (id: string) => () => {
      looked.push(id);
      return Promise.resolve(tokenNamed(id));
    };
    await tokens.resolve('ha', recordedLookUp('a'));
    await tokens.resolve('hb', recordedLookUp('b'));
    looked.length = 0;
    tokens.forget(revoked);
    await tokens.resolve('ha', recordedLookUp('a'));
    await tokens.resolve('hb', recordedLookUp('b'));
    expect(looked).toEqual(lookedUpAgain);
  });

  it('shares a lookup under way with the callers that arrive meanwhile', async () => {
    const held = heldLookup(tokenNamed('a'));
    const first = tokens.resolve('h1', held.lookUp);
    const second = tokens.resolve('h1', lookUp(null));
    held.answer();
    expect([(await first)?.id, (await second)?.id]).toEqual(['a', 'a']);
    expect(lookups).toBe(0);
  });

  it('answers a lookup a revocation overtook to its callers, but neither shares nor remembers it', async () => {
    const held = heldLookup(tokenNamed('a'));
    const overtaken = tokens.resolve('h1', held.lookUp);
    tokens.forget('a');
    // Arrives after the revocation: looks the token up itself (and finds it revoked).
    expect(await tokens.resolve('h1', lookUp(null))).toBeNull();
    held.answer();
    expect((await overtaken)?.id).toBe('a');
    expect(await tokens.resolve('h1', lookUp(null))).toBeNull();
    expect(lookups).toBe(2);
  });

  it('looks a token up again once it is older than its age', async () => {
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    try {
      await tokens.resolve('h1', lookUp(tokenNamed('a')));
      now.mockReturnValue(1_000_000 + 59_999);
      await tokens.resolve('h1', lookUp(tokenNamed('a')));
      now.mockReturnValue(1_000_000 + 60_000);
      await tokens.resolve('h1', lookUp(tokenNamed('a')));
      expect(lookups).toBe(2);
    } finally {
      now.mockRestore();
    }
  });
});
