import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { authChecker } from '../auth/auth-checker';
import { resolvers } from '../resolvers';

let built: Promise<GraphQLSchema> | undefined;

/**
 * The schema from the resolver classes. Built once per process: type-graphql's metadata is global,
 * and every server in the process serves the same schema. Dates are the `DateTime` scalar (ISO 8601).
 */
export function buildAppSchema(): Promise<GraphQLSchema> {
  built ??= buildSchema({
    resolvers,
    authChecker,
    validate: false,
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
  return built;
}
