import type { IncomingHttpHeaders } from 'node:http';
import type { Request, Response } from 'express';

/** The options of a cookie the API sets (the session's). */
export interface CookieOptions {
  httpOnly: boolean;
  sameSite: 'lax' | 'strict';
  secure: boolean;
  path: string;
  expires?: Date;
}

/** The HTTP side of a GraphQL request, as resolvers see it: they never touch Express themselves. */
export interface GraphqlHttp {
  /** The caller's address, through the proxies TRUST_PROXY trusts. */
  readonly ip: string;
  /** Whether the request came over https (as a trusted proxy says, behind one). */
  readonly secure: boolean;
  /** `<protocol>://<host>` as the caller reached this server (through the proxies TRUST_PROXY trusts). */
  readonly origin: string;
  setCookie(name: string, value: string, options: CookieOptions): void;
  clearCookie(name: string, options: CookieOptions): void;
}

/** A request as the context is made from it: its headers and the cookies it carried. */
export interface GraphqlRequest {
  headers: IncomingHttpHeaders;
  cookies?: unknown;
}

/**
 * {@link GraphqlHttp} of one Express request: address and protocol as Express works them out from its
 * `trust proxy` setting, cookies written by Express. Both are read only when a resolver asks.
 */
export function graphqlExchange(req: Request, res: Response): GraphqlHttp {
  return {
    get ip() {
      // Undefined only once the connection is gone; the answer then reaches nobody.
      return req.ip ?? 'unknown';
    },
    get secure() {
      return req.secure;
    },
    get origin() {
      return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    },
    setCookie: (name, value, options) => {
      res.cookie(name, value, options);
    },
    clearCookie: (name, options) => {
      res.clearCookie(name, options);
    },
  };
}
