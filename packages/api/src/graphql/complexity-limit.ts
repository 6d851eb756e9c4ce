import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLSchema } from 'graphql';
import {
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
  type ComplexityEstimator,
} from 'graphql-query-complexity';
import { QueryRejectedError } from '../errors';

/** A page of `first: n` costs n times what one item costs. */
const pagedEstimator: ComplexityEstimator = ({ args, childComplexity }) => {
  const first: unknown = args.first;
  if (typeof first === 'number' && Number.isFinite(first) && first > 0) return 1 + childComplexity * first;
  return undefined;
};

/**
 * Refuses operations whose estimated cost exceeds `maxComplexity`: each field costs 1 (or its
 * `complexity` extension), lists with `first` multiply their items. Runs once the operation is
 * known, with the request's variables, so `first: $n` counts too.
 */
export function complexityLimit(schema: GraphQLSchema, maxComplexity: number): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          let complexity: number;
          try {
            complexity = getComplexity({
              schema,
              query: document,
              ...(request.operationName ? { operationName: request.operationName } : {}),
              variables: request.variables ?? {},
              estimators: [
                pagedEstimator,
                fieldExtensionsEstimator(),
                simpleEstimator({ defaultComplexity: 1 }),
              ],
            });
          } catch {
            // Bad variables: execution reports them with graphql's own message.
            return;
          }
          if (complexity > maxComplexity) {
            throw new QueryRejectedError(
              `The operation is too expensive (cost ${complexity}, limit ${maxComplexity}); ask for fewer fields or smaller pages.`,
              'QUERY_TOO_COMPLEX',
            );
          }
        },
      };
    },
  };
}
