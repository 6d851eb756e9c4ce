import { ApiTokenResolver } from './api-token.resolver';
import { AuditResolver } from './audit.resolver';
import { AuthResolver } from './auth.resolver';
import { UserResolver } from './user.resolver';
import { ChainResolver } from './chain.resolver';
import { FailureResolver } from './failure.resolver';
import { ProviderResolver } from './provider.resolver';
import { TestEmailResolver } from './test-email.resolver';

type ResolverClass = new () => object;

/** Every resolver class of the schema. Append new resolvers at the end; do not reorder. */
export const resolvers: [ResolverClass, ...ResolverClass[]] = [
  AuthResolver,
  UserResolver,
  ApiTokenResolver,
  AuditResolver,
  ProviderResolver,
  FailureResolver,
  ChainResolver,
  TestEmailResolver,
];
