import type { ApolloServerPlugin } from '@apollo/server';

import type { Context } from '../context';
import { isClientError, originalErrorOf } from '../errors';
import { redactText } from '../logger';
import { isSecretName } from './secret-names';

/** Every string under a secret-looking name in the request variables, at any depth. */
export function secretsIn(value: unknown, underSecretName = false, found: string[] = []): string[] {
  if (typeof value === 'string') {
    if (underSecretName) found.push(value);
  } else if (Array.isArray(value)) {
    for (const item of value) secretsIn(item, underSecretName, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value))
      secretsIn(item, underSecretName || isSecretName(key), found);
  }
  return found;
}

/**
 * Logs errors that are our fault (not the client's) with their stack, after removing any secret the
 * request carried; the client only gets the generic INTERNAL_SERVER_ERROR from formatError.
 */
export function errorLogging(): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, request, contextValue, operationName }) {
          const secrets = secretsIn(request.variables ?? {});
          for (const error of errors) {
            if (isClientError(error)) continue;
            const original = originalErrorOf(error);
            const name = original instanceof Error ? original.name : typeof original;
            const message = original instanceof Error ? original.message : String(original);
            const stack = original instanceof Error ? (original.stack ?? '') : '';
            contextValue.log().error(
              {
                operationName: operationName ?? null,
                path: error.path ?? null,
                error: { name, message: redactText(message, secrets), stack: redactText(stack, secrets) },
              },
              'unexpected error while handling a GraphQL request',
            );
          }
        },
      };
    },
  };
}
