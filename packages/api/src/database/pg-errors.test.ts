import { QueryFailedError } from 'typeorm';
import { isDatabaseUnreachable } from './pg-errors';

/** An error as node-postgres raises it: a message, and PostgreSQL's SQLSTATE or the socket's code. */
function pgError(message: string, code?: string): Error {
  return Object.assign(new Error(message), code === undefined ? {} : { code });
}

describe('isDatabaseUnreachable', () => {
  it.each([
    ['a refused connection', pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'), true],
    ['a reset connection', pgError('read ECONNRESET', 'ECONNRESET'), true],
    ['a connection that died mid-statement', pgError('Connection terminated unexpectedly'), true],
    [
      'a client left broken by a connection error',
      pgError('Client has encountered a connection error and is not queryable'),
      true,
    ],
    ['no connection from the pool in time', pgError('timeout exceeded when trying to connect'), true],
    [
      'a connection attempt that timed out',
      new Error('Connection terminated due to connection timeout', { cause: pgError('timeout expired') }),
      true,
    ],
    [
      'the server shutting down',
      pgError('terminating connection due to administrator command', '57P01'),
      true,
    ],
    ['the server starting up', pgError('the database system is starting up', '57P03'), true],
    ['no connection slot left', pgError('sorry, too many clients already', '53300'), true],
    ['a connection exception', pgError('connection failure', '08006'), true],
    [
      'a connection exception wrapped by TypeORM',
      new QueryFailedError(
        'COMMIT',
        [],
        pgError('terminating connection due to administrator command', '57P01'),
      ),
      true,
    ],
    ['a duplicate key', pgError('duplicate key value violates unique constraint', '23505'), false],
    [
      'a statement PostgreSQL refused',
      new QueryFailedError('SELECT', [], pgError('syntax error', '42601')),
      false,
    ],
    ['a deadlock', pgError('deadlock detected', '40P01'), false],
    ['any other error', new Error('boom'), false],
    ['something that is no error', 'Connection terminated', false],
  ])('%s', (_case, error, unreachable) => {
    expect(isDatabaseUnreachable(error)).toBe(unreachable);
  });
});
