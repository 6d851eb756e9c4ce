import type { AppConfig } from '../config';
import type { CookieOptions } from '../http/graphql-exchange';

export const SESSION_COOKIE = 'mp_session';

/**
 * httpOnly (scripts cannot read it), SameSite=Lax (not sent on cross-site POSTs), Secure when the
 * request came over https (through a trusted proxy) or in production, unless COOKIE_SECURE says otherwise.
 */
export function sessionCookieOptions(
  config: Pick<AppConfig, 'cookieSecure' | 'nodeEnv'>,
  overHttps: boolean,
  expires?: Date,
): CookieOptions {
  const secure =
    config.cookieSecure === 'always' ||
    (config.cookieSecure === 'auto' && (overHttps || config.nodeEnv === 'production'));
  return { httpOnly: true, sameSite: 'lax', secure, path: '/', ...(expires ? { expires } : {}) };
}
