import type { Auth } from '../context';
import type { GraphqlRequest } from '../http/graphql-exchange';
import type { ServiceContainer } from '../service-container';
import { ApiTokenService } from './api-token.service';
import { SESSION_COOKIE } from './session-cookie';
import { SessionService } from './session.service';

function bearerOf(req: GraphqlRequest): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

function sessionCookieOf(req: GraphqlRequest): string | undefined {
  const cookies: unknown = req.cookies;
  if (typeof cookies !== 'object' || cookies === null || !(SESSION_COOKIE in cookies)) return undefined;
  const value: unknown = cookies[SESSION_COOKIE];
  return typeof value === 'string' ? value : undefined;
}

/**
 * Who is calling: a bearer token wins over a cookie (scripts may carry stale cookies). An unknown,
 * expired or revoked credential counts as no credential; the operation then answers UNAUTHENTICATED.
 */
export async function authenticate(req: GraphqlRequest, services: ServiceContainer): Promise<Auth> {
  const bearer = bearerOf(req);
  if (bearer !== undefined) {
    const token = await services.get(ApiTokenService).resolve(bearer);
    return token ? { kind: 'token', token } : { kind: 'anonymous' };
  }
  const cookie = sessionCookieOf(req);
  if (cookie !== undefined) {
    const session = await services.get(SessionService).resolve(cookie);
    if (session) return { kind: 'session', user: session.user, sessionTokenHash: session.tokenHash };
  }
  return { kind: 'anonymous' };
}
