// What the sign-in's return to a provider's page says (`?oauth=connected`, `?oauth=error&reason=…`), as a
// panel text: the callback's reasons in plain words.

import type { LocationQuery } from 'vue-router';

/** The reasons /oauth/callback gives; any other is worded as an unexpected problem. */
export const OAUTH_RETURN_REASONS = [
  'state_missing',
  'state_unknown',
  'state_used',
  'state_expired',
  'session_missing',
  'session_mismatch',
  'provider_changed',
  'access_denied',
  'code_missing',
  'exchange_failed',
  'no_refresh_token',
] as const;
export type OAuthReturnReason = (typeof OAUTH_RETURN_REASONS)[number] | 'unknown';

export type OAuthReturn = { kind: 'connected' } | { kind: 'error'; reason: OAuthReturnReason };

function single(value: LocationQuery[string] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** The result the address carries, or null when it carries none. */
export function oauthReturnOf(query: LocationQuery): OAuthReturn | null {
  const result = single(query.oauth);
  if (result === 'connected') return { kind: 'connected' };
  if (result !== 'error') return null;
  const reason = single(query.reason);
  const known = OAUTH_RETURN_REASONS.find((item) => item === reason);
  return { kind: 'error', reason: known ?? 'unknown' };
}

/** The address without the sign-in's result, so a reload does not show it again. */
export function withoutOAuthReturn(query: LocationQuery): LocationQuery {
  const rest = { ...query };
  delete rest.oauth;
  delete rest.reason;
  return rest;
}
