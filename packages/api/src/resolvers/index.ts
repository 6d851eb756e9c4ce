import { AlertResolver } from './alert.resolver';
import { ApiTokenResolver } from './api-token.resolver';
import { AuditResolver } from './audit.resolver';
import { AuthResolver } from './auth.resolver';
import { DeliveryAttemptResolver, DeliveryResolver } from './delivery.resolver';
import { UserResolver } from './user.resolver';
import { ChainResolver } from './chain.resolver';
import { FailureResolver } from './failure.resolver';
import { ProviderOAuthResolver } from './provider-oauth.resolver';
import { ProviderResolver } from './provider.resolver';
import { SettingsResolver } from './settings.resolver';
import { TestEmailResolver } from './test-email.resolver';
import { WebhookResolver } from './webhook.resolver';
import { SuppressionResolver } from './suppression.resolver';
import { VendorEventResolver } from './vendor-event.resolver';

type ResolverClass = new () => object;

/** Every resolver class of the schema. Append new resolvers at the end; do not reorder. */
export const resolvers: [ResolverClass, ...ResolverClass[]] = [
  AuthResolver,
  UserResolver,
  ApiTokenResolver,
  AuditResolver,
  DeliveryResolver,
  DeliveryAttemptResolver,
  AlertResolver,
  ProviderResolver,
  FailureResolver,
  ChainResolver,
  TestEmailResolver,
  SettingsResolver,
  ProviderOAuthResolver,
  WebhookResolver,
  SuppressionResolver,
  VendorEventResolver,
];
