import cookieParser from 'cookie-parser';
import type { Express, Request } from 'express';
import { SESSION_COOKIE } from '../auth/session-cookie';
import type { Logger } from '../logger';
import { CALLBACK_PATH, type CallbackOutcome, type OAuthSignInService } from '../oauth/oauth-sign-in.service';

/** What each refusal means, for the few browsers that show the redirect's body. */
const EXPLANATIONS: Record<NonNullable<CallbackOutcome['refusal']>, string> = {
  state_missing:
    'The sign-in came back without its state, so it cannot be matched to a request; start it again from the provider.',
  state_unknown:
    'The sign-in came back with a state this server never issued; start it again from the provider.',
  state_used: 'This sign-in was already completed once; start a new one from the provider.',
  state_expired: 'The sign-in took longer than 10 minutes; start it again from the provider.',
  session_missing: 'You are not signed in to the panel in this browser; sign in and start again.',
  session_mismatch: 'The sign-in was started by another panel session; start it again from this browser.',
  provider_changed: 'The provider was changed or deleted while signing in; start again from the provider.',
  access_denied: 'The sign-in was cancelled or refused at the OAuth2 server.',
  code_missing: 'The sign-in came back without a code; start it again.',
  exchange_failed: 'The OAuth2 server would not exchange the code for tokens; the provider page shows why.',
  no_refresh_token: 'The OAuth2 server gave no refresh token; the provider page shows what to change.',
};

function queryString(req: Request, name: string): string | undefined {
  const value: unknown = req.query[name];
  return typeof value === 'string' && value.length <= 4096 ? value : undefined;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * GET /oauth/callback: where the OAuth2 server sends the admin's browser back. It never renders the code or
 * the state; it redirects (303) to the provider's page in the panel with `?oauth=connected` or
 * `?oauth=error&reason=<code>`, with a one-line body saying the same.
 */
export function serveOAuthCallback(app: Express, signIn: () => OAuthSignInService, logger: Logger): void {
  app.get(CALLBACK_PATH, cookieParser(), async (req, res, next) => {
    try {
      const cookies: unknown = req.cookies;
      const cookie =
        typeof cookies === 'object' && cookies !== null && SESSION_COOKIE in cookies
          ? (cookies as Record<string, unknown>)[SESSION_COOKIE]
          : undefined;
      const outcome = await signIn().callback({
        state: queryString(req, 'state'),
        code: queryString(req, 'code'),
        error: queryString(req, 'error'),
        sessionCookie: typeof cookie === 'string' ? cookie : undefined,
      });
      if (outcome.refusal)
        logger.warn(
          { providerId: outcome.providerId, reason: outcome.refusal },
          'an OAuth2 sign-in was refused',
        );
      else logger.info({ providerId: outcome.providerId }, 'a provider was connected with OAuth2');
      const text = outcome.refusal ? EXPLANATIONS[outcome.refusal] : 'Connected. Back to the provider…';
      res
        .status(303)
        .set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', Location: outcome.location })
        .type('html')
        .send(
          `<!doctype html><meta charset="utf-8"><title>OAuth2</title><p>${escapeHtml(text)} <a href="${escapeHtml(outcome.location)}">Continue</a></p>`,
        );
    } catch (error) {
      next(error);
    }
  });
}
