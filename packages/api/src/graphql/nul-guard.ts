import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, visit, type DocumentNode } from 'graphql';
import { QueryRejectedError } from '../errors';

function variablesHoldNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(variablesHoldNul);
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || variablesHoldNul(item));
  }
  return false;
}

/** Parsed documents are reused for every request with the same text: each is scanned once. */
const scannedDocuments = new WeakMap<DocumentNode, boolean>();

function documentHoldsNul(document: DocumentNode): boolean {
  const known = scannedDocuments.get(document);
  if (known !== undefined) return known;
  let found = false;
  visit(document, {
    [Kind.STRING](node) {
      if (node.value.includes('\u0000')) found = true;
    },
  });
  scannedDocuments.set(document, found);
  return found;
}

/**
 * PostgreSQL text cannot hold the NUL character, and no field of this API has a use for it; a
 * request carrying one is refused up front rather than failing deep inside a query.
 */
export function nulGuard(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          if (variablesHoldNul(request.variables ?? {}) || documentHoldsNul(document)) {
            throw new QueryRejectedError(
              'Text in this request contains a NUL character (\\u0000); remove it and send again.',
              'NUL_CHARACTER',
            );
          }
        },
      };
    },
  };
}
