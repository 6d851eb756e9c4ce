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

/**
 * Errors met outside GraphQL's own answers (body parsing, a failing Apollo call, static files) answered in
 * GraphQL's error shape with the right status: a body over the limit is 413, broken JSON 400; only our own
 * faults are 500, and those say nothing about their cause (they are logged with the path).
 */
export function errorHandler(logger: Logger, bodyLimit: string): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const { status, type } = httpErrorOf(error);
    if (type === 'entity.too.large') {
      res
        .status(413)
        .json(
          graphqlShaped(`The request body is larger than ${bodyLimit}; send less data.`, 'BAD_USER_INPUT'),
        );
      return;
    }
    if (type === 'entity.parse.failed') {
      res
        .status(400)
        .json(graphqlShaped('The request body is not valid JSON; fix it and send again.', 'BAD_USER_INPUT'));
      return;
    }
    if (status !== undefined && status >= 400 && status < 500) {
      res
        .status(status)
        .json(graphqlShaped('The request could not be read; check its headers and body.', 'BAD_USER_INPUT'));
      return;
    }
    logger.error(
      {
        path: originalPath(req),
        error: error instanceof Error ? { name: error.name, message: error.message } : String(error),
      },
      'unexpected error in an HTTP handler',
    );
    res.status(500).json(graphqlShaped(INTERNAL_ERROR_MESSAGE, 'INTERNAL_SERVER_ERROR'));
  };
}

export const notFound: RequestHandler = (_req, res) => {
  res
    .status(404)
    .json(graphqlShaped(`Nothing is served at this address; the API is at /graphql.`, 'NOT_FOUND'));
};
