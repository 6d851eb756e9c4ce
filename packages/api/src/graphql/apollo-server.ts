import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type { AppConfig } from '../config';
import type { Context } from '../context';
import { formatError } from '../errors';
import type { Logger } from '../logger';
import { complexityLimit } from './complexity-limit';
import { depthLimit } from './depth-limit';
import { errorLogging } from './error-logging';
import { nulGuard } from './nul-guard';
import { withVariableDetail } from './variable-errors';

/**
 * Apollo, hardened: CSRF prevention (a request must be JSON or carry
 * `apollo-require-preflight`), depth and complexity limits, no stack traces ever, and in
 * production no introspection and no "did you mean" hints. No landing page: it would load
 * scripts from a CDN.
 */
export function createApolloServer(options: {
  schema: GraphQLSchema;
  config: AppConfig;
  logger: Logger;
}): ApolloServer<Context> {
  const { schema, config, logger } = options;
  const production = config.nodeEnv === 'production';
  const apolloLogger = logger.child({ component: 'apollo' });
  return new ApolloServer<Context>({
    schema,
    csrfPrevention: true,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    includeStacktraceInErrorResponses: false,
    // main.ts owns shutdown; Apollo's own handler would re-raise the signal and cut the drain short.
    stopOnTerminationSignals: false,
    validationRules: [depthLimit(config.graphqlMaxDepth)],
    // A mistake in variables is described (field, type, graphql-js's suggestion) unless a secret may be involved.
    formatError: withVariableDetail(formatError, { hideSuggestions: production }),
    logger: {
      debug: (message: string) => apolloLogger.debug(message),
      info: (message: string) => apolloLogger.info(message),
      warn: (message: string) => apolloLogger.warn(message),
      error: (message: string) => apolloLogger.error(message),
    },
    // The HTTP server is drained by server.ts before Apollo stops (it also serves without Apollo).
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // The API gives no cache hints and mutations are never cached; Apollo's cache-control plugin, on by
      // default, would still wrap every field's resolver to compute a policy of "do not cache".
      ApolloServerPluginCacheControlDisabled(),
      nulGuard(),
      complexityLimit(schema, config.graphqlMaxComplexity),
      errorLogging(),
    ],
  });
}
