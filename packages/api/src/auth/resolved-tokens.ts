import type { AuthToken } from '../context';
import { EVERY_CREDENTIAL } from '../database/change-listener';

export interface ResolvedTokensOptions {
  /** How long a token looked up is remembered. */
  ttlMs: number;
  /** More than this many remembered tokens start the memory afresh. */
  maxEntries: number;
  /**
   * Whether a token may be remembered now: only while this process hears of every revocation made
   * elsewhere (its listener is connected). Otherwise each request looks its token up.
   */
  mayRemember: () => boolean;
}

/**
 * The live API tokens this process looked up recently, by hash, so a busy sender costs no lookup per
 * request; callers that arrive while a token is being looked up share that lookup. A revocation makes
 * `forget` drop the token at once, and bumps a generation: a lookup that started before it may answer its
 * own caller (that request began before the revocation) but is neither remembered nor shared with later
 * callers, so it cannot bring the revoked token back.
 */
export class ResolvedTokens {
  private readonly remembered = new Map<string, { token: AuthToken; until: number }>();
  private readonly pending = new Map<string, Promise<AuthToken | null>>();
  private generation = 0;

  constructor(private readonly options: ResolvedTokensOptions) {}

  /** The token with hash `tokenHash`: remembered, being looked up, or looked up now with `lookUp`. */
  resolve(tokenHash: string, lookUp: () => Promise<AuthToken | null>): Promise<AuthToken | null> {
    const now = Date.now();
    const known = this.remembered.get(tokenHash);
    if (known && known.until > now && this.options.mayRemember()) return Promise.resolve(known.token);
    this.remembered.delete(tokenHash);
    const pending = this.pending.get(tokenHash);
    if (pending) return pending;
    const generation = this.generation;
    const lookup = lookUp()
      .then((token) => {
        if (token && generation === this.generation && this.options.mayRemember()) {
          if (this.remembered.size >= this.options.maxEntries) this.remembered.clear();
          this.remembered.set(tokenHash, { token, until: now + this.options.ttlMs });
        }
        return token;
      })
      .finally(() => {
        if (this.pending.get(tokenHash) === lookup) this.pending.delete(tokenHash);
      });
    this.pending.set(tokenHash, lookup);
    return lookup;
  }

  /** Forgets the token with this id, or every token for {@link EVERY_CREDENTIAL}. */
  forget(revoked: string): void {
    this.generation++;
    this.pending.clear();
    if (revoked === EVERY_CREDENTIAL) {
      this.remembered.clear();
      return;
    }
    for (const [tokenHash, { token }] of this.remembered) {
      if (token.id === revoked) this.remembered.delete(tokenHash);
    }
  }
}
