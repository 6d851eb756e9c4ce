import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ProviderStatus } from '@mail-providers/mailer-core';
import { ProviderSettingsFields } from './provider-settings.fields';
import type { CircuitState } from './provider.enums';
import { CircuitStateEnum, ProviderStatusEnum } from './provider.enums';
import { Failure, TestEmailResult, VerificationResult } from './provider.results';

@ObjectType({ description: 'A provider’s circuit breaker as the engine sees it now.' })
export class ProviderHealth {
  @Field(() => CircuitStateEnum)
  state: CircuitState;

  @Field(() => Int)
  consecutiveFailures: number;

  @Field(() => GraphQLDateTime, { nullable: true })
  lastFailureAt?: Date | null;

  @Field(() => Failure, { nullable: true })
  lastFailure?: Failure | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  openUntil?: Date | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'Until when the provider is skipped after it asked us to slow down (rate limit).',
  })
  cooldownUntil?: Date | null;
}

/**
 * One delivery account. The password never leaves the server: `passwordSet` says whether one is stored.
 * `passwordSet`, `channel`, `health` and the links are resolved in provider.resolver.ts.
 */
@ObjectType({
  description:
    'One account mail is sent through: an SMTP server, or a mail service by its SMTP relay or HTTP API. The password is write-only: see passwordSet.',
})
export class Provider extends ProviderSettingsFields {
  @Field(() => ID)
  id: string;

  @Field(() => ProviderStatusEnum)
  status: ProviderStatus;

  @Field(() => Int, { description: 'Position in the global order, 1 first.' })
  priority: number;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'When the current credentials last passed verification; null after any credential change.',
  })
  verifiedAt: Date | null;

  @Field(() => VerificationResult, { nullable: true })
  lastVerification: VerificationResult | null;

  @Field(() => TestEmailResult, { nullable: true })
  lastTestEmail: TestEmailResult | null;

  @Field(() => GraphQLDateTime, {
    description: 'Last change of anything that affects sending (all but status and priority).',
  })
  settingsChangedAt: Date;

  @Field(() => GraphQLDateTime)
  createdAt: Date;

  @Field(() => GraphQLDateTime)
  updatedAt: Date;
}
