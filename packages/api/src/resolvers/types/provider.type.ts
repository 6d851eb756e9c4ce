import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type {
  ApiVendor,
  Encryption,
  ProviderStatus,
  ProviderType,
  ServiceType,
} from '@mail-providers/mailer-core';
import type { CircuitState } from './provider.enums';
import {
  ApiVendorEnum,
  CircuitStateEnum,
  EncryptionEnum,
  ProviderStatusEnum,
  ProviderTypeEnum,
  ServiceTypeEnum,
} from './provider.enums';
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
@ObjectType({ description: 'One delivery account (SPEC §2). The password is write-only: see passwordSet.' })
export class Provider {
  @Field(() => ID)
  id: string;

  @Field(() => ProviderTypeEnum)
  type: ProviderType;

  @Field(() => String)
  name: string;

  @Field(() => ApiVendorEnum, { nullable: true })
  apiVendor: ApiVendor | null;

  @Field(() => String)
  host: string;

  @Field(() => Int)
  port: number;

  @Field(() => String)
  username: string;

  @Field(() => EncryptionEnum)
  encryption: Encryption;

  @Field(() => String)
  fromEmail: string;

  @Field(() => String)
  fromName: string;

  @Field(() => ServiceTypeEnum)
  serviceType: ServiceType;

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
