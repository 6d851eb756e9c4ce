import type { ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { INTERNAL_ERROR_MESSAGE } from '../errors';
import type { Logger } from '../logger';
import { originalPath } from './original-path';

interface HttpError {
  status?: number;
  type?: string;
}

function httpErrorOf(error: unknown): HttpError {
  if (typeof error !== 'object' || error === null) return {};
  const status = 'status' in error && typeof error.status === 'number' ? error.status : undefined;
  const type = 'type' in error && typeof error.type === 'string' ? error.type : undefined;
  return { ...(status !== undefined ? { status } : {}), ...(type !== undefined ? { type } : {}) };
}

function graphqlShaped(message: string, code: string) {
  return { errors: [{ message, extensions: { code } }] };
}

/** Answers with `body` as JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * Answers an error met outside GraphQL (body parsing, static files) in GraphQL's error shape with the
 * right status: a body over the limit is 413, broken JSON 400; only our own faults are 500, and those say
 * nothing about their cause (they are logged with the path).
 */
export function answerHttpError(
  res: ServerResponse,
  error: unknown,
  { logger, bodyLimit, path }: { logger: Logger; bodyLimit: string; path: string },
): void {
  const { status, type } = httpErrorOf(error);
  if (type === 'entity.too.large') {
    sendJson(
      res,
      413,
      graphqlShaped(`The request body is larger than ${bodyLimit}; send less data.`, 'BAD_USER_INPUT'),
    );
    return;
  }
  if (type === 'entity.parse.failed') {
    sendJson(
      res,
      400,
      graphqlShaped('The request body is not valid JSON; fix it and send again.', 'BAD_USER_INPUT'),
    );
    return;
  }
  if (status !== undefined && status >= 400 && status < 500) {
    sendJson(
      res,
      status,
      graphqlShaped('The request could not be read; check its headers and body.', 'BAD_USER_INPUT'),
    );
    return;
  }
  logger.error(
    { path, error: error instanceof Error ? { name: error.name, message: error.message } : String(error) },
    'unexpected error in an HTTP handler',
  );
  sendJson(res, 500, graphqlShaped(INTERNAL_ERROR_MESSAGE, 'INTERNAL_SERVER_ERROR'));
}

/** {@link answerHttpError} as Express's error handler. */
export function errorHandler(logger: Logger, bodyLimit: string): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    answerHttpError(res, error, { logger, bodyLimit, path: originalPath(req) });
  };
}

export const notFound: RequestHandler = (_req, res) => {
  sendJson(
    res,
    404,
    graphqlShaped(`Nothing is served at this address; the API is at /graphql.`, 'NOT_FOUND'),
  );
};
