import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer } from '@apollo/server';
import { serialize } from 'cookie';
import cookieParser from 'cookie-parser';
import express from 'express';
import proxyaddr from 'proxy-addr';
import type { Context } from '../context';
import type { Logger } from '../logger';
import { answerHttpError } from './error-handler';
import type { RequestTracker } from './request-logging';
import { setSecurityHeaders } from './security-headers';

/** The options of a cookie the API sets (the session's). */
export interface CookieOptions {
  httpOnly: boolean;
  sameSite: 'lax' | 'strict';
  secure: boolean;
  path: string;
  expires?: Date;
}

/** The HTTP side of a GraphQL request, as resolvers see it. */
export interface GraphqlHttp {
  /** The caller's address, through the proxies TRUST_PROXY trusts. */
  readonly ip: string;
  /** Whether the request came over https (as a trusted proxy says, behind one). */
  readonly secure: boolean;
  setCookie(name: string, value: string, options: CookieOptions): void;
  clearCookie(name: string, options: CookieOptions): void;
}

/** A request as the context is made from it: its headers and the cookies it carried. */
export interface GraphqlRequest {
  headers: IncomingMessage['headers'];
  cookies?: unknown;
}

/** Express's compiled TRUST_PROXY: whether the address at `hop` (0: the peer) is a trusted proxy. */
export type TrustProxy = (address: string, hop: number) => boolean;

export interface GraphqlHttpDeps {
  apollo: ApolloServer<Context>;
  /** The context of one request. */
  context: (req: GraphqlRequest, http: GraphqlHttp, requestId: string) => Promise<Context>;
  track: RequestTracker;
  trust: TrustProxy;
  bodyLimit: string;
  logger: Logger;
}

type NodeMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** Whether GraphQL answers this URL: /graphql and below, in any case (as Express's mount matched it). */
export function isGraphqlUrl(url: string | undefined): boolean {
  const path = pathOf(url).toLowerCase();
  return path === '/graphql' || path.startsWith('/graphql/');
}

/**
 * GraphQL over HTTP on node's own request and response, without Express: its request set-up, router and
 * response helpers took over a third of a `sendEmail`'s CPU on the main thread. What Express's
 * stack did here is done the same way: the request id, log line and count, the security headers, cookies
 * and JSON bodies read by the same parsers (cookie-parser; body-parser with BODY_LIMIT, whose errors are
 * answered 413 and 400 as elsewhere), then Apollo.
 */
export function graphqlHttpHandler(
  deps: GraphqlHttpDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  // Both parsers only read node's request (headers, body stream): Express's additions are not needed.
  const parseCookies = cookieParser() as unknown as NodeMiddleware;
  const parseJson = express.json({ limit: deps.bodyLimit }) as unknown as NodeMiddleware;
  return (req, res) => {
    const path = pathOf(req.url);
    // Like Express's error handler: whatever fails is answered, never thrown out of the server's listener.
    const fail = (error: unknown) => {
      if (res.headersSent) res.destroy();
      else answerHttpError(res, error, { logger: deps.logger, bodyLimit: deps.bodyLimit, path });
    };
    try {
      const requestId = deps.track(req, res, () => path);
      const http = exchange(req, res, deps.trust);
      setSecurityHeaders(res, http.secure);
      parseCookies(req, res, () =>
        parseJson(req, res, (error) => {
          if (error) fail(error);
          else answer(deps, req, res, http, requestId).catch(fail);
        }),
      );
    } catch (error) {
      fail(error);
    }
  };
}

async function answer(
  deps: GraphqlHttpDeps,
  req: IncomingMessage & { body?: unknown },
  res: ServerResponse,
  http: GraphqlHttp,
  requestId: string,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const response = await deps.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: {
      method: (req.method ?? 'GET').toUpperCase(),
      headers,
      search: query < 0 ? '' : url.slice(query),
      // undefined when the body was not JSON: Apollo then answers by its rules (CSRF prevention, 400).
      body: req.body,
    },
    context: () => deps.context(req, http, requestId),
  });
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    res.setHeader('Content-Length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** {@link GraphqlHttp} of one request; the caller's address is worked out only when asked. */
function exchange(req: IncomingMessage, res: ServerResponse, trust: TrustProxy): GraphqlHttp {
  const appendCookie = (name: string, value: string, options: CookieOptions) =>
    res.appendHeader('Set-Cookie', serialize(name, value, options));
  return {
    get ip() {
      return proxyaddr(req, trust);
    },
    get secure() {
      return protocolOf(req, trust) === 'https';
    },
    setCookie: appendCookie,
    clearCookie: (name, options) => appendCookie(name, '', { ...options, expires: new Date(1) }),
  };
}

/** As Express reads it: the connection's own, or X-Forwarded-Proto's first value when the peer is trusted. */
function protocolOf(req: IncomingMessage, trust: TrustProxy): string {
  const own = 'encrypted' in req.socket && req.socket.encrypted ? 'https' : 'http';
  if (!trust(req.socket.remoteAddress ?? '', 0)) return own;
  const header = req.headers['x-forwarded-proto'];
  const forwarded = (Array.isArray(header) ? header[0] : header) || own;
  return forwarded.split(',')[0]?.trim() ?? own;
}

/** The path of a request's URL, without the query string. */
function pathOf(url: string | undefined): string {
  const value = url ?? '/';
  const query = value.indexOf('?');
  return query < 0 ? value : value.slice(0, query);
}
