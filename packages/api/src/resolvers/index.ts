import { ApiTokenResolver } from './api-token.resolver';
import { AuditResolver } from './audit.resolver';
import { AuthResolver } from './auth.resolver';
import { UserResolver } from './user.resolver';

type ResolverClass = new () => object;

/** Every resolver class of the schema. Append new resolvers at the end; do not reorder. */
export const resolvers: [ResolverClass, ...ResolverClass[]] = [
  AuthResolver,
  UserResolver,
  ApiTokenResolver,
  AuditResolver,
];
