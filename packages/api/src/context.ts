import type { ApiTokenScope } from './entities/api-token.entity';
import type { GraphqlHttp } from './http/graphql-exchange';
import type { Locale, UserRole } from './entities/user.entity';
import type { Logger } from './logger';
import type { ServiceContainer } from './service-container';

/** What `@Authorized(...)` can ask for. READ/MANAGE/SEND are token scopes too; ADMIN is admin sessions only. */
export type Permission = 'READ' | 'MANAGE' | 'SEND' | 'ADMIN';

export interface AuthUser {
  id: string;
  email: string;
  role: UserRole;
  locale: Locale;
}

export interface AuthToken {
  id: string;
  name: string;
  scopes: ApiTokenScope[];
  createdBy: string | null;
}

/** Who is calling: a signed-in user, an API token, or nobody. */
export type Auth =
  | { kind: 'anonymous' }
  | { kind: 'session'; user: AuthUser; sessionTokenHash: string }
  | { kind: 'token'; token: AuthToken };

/** The GraphQL context of one request. */
export interface Context {
  auth: Auth;
  services: ServiceContainer;
  /** The request's address and protocol, and its response's cookies. */
  http: GraphqlHttp;
  /** The caller's language: the user's setting, else the request's Accept-Language, else English. */
  locale: Locale;
  /**
   * The request-scoped logger (it carries the request id), made on the first call: most requests log nothing,
   * and making a pino child costs a pass through redaction. A function rather than a getter, because Apollo
   * copies the context with Object.assign, which would call a getter for every request.
   */
  log: () => Logger;
}

/** Picks 'tr' or 'en' from an Accept-Language header, honouring its order. */
export function localeFromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return 'en';
  for (const part of header.split(',')) {
    const tag = part.split(';')[0]?.trim().toLowerCase() ?? '';
    if (tag.startsWith('tr')) return 'tr';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
