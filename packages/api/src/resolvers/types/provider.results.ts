import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { Channel, FailureCategory, AttemptOutcome } from '@mail-providers/mailer-core';
import { AttemptOutcomeEnum, ChannelEnum, FailureCategoryEnum } from './provider.enums';

/*
 * The roots of these types are the engine's own values (Failure, Attempt, VerifyResult) or the records kept
 * on a provider. Only the localised hint and the provider links are computed, in failure.resolver.ts and
 * provider.resolver.ts.
 */

@ObjectType({
  description: 'A classified failure with the provider’s own evidence and a hint in the reader’s language.',
})
export class Failure {
  @Field(() => FailureCategoryEnum)
  category: FailureCategory;

  @Field(() => Int, { nullable: true })
  smtpCode?: number;

  @Field(() => String, { nullable: true })
  enhancedCode?: string;

  @Field(() => Int, { nullable: true })
  httpStatus?: number;

  @Field(() => String, {
    nullable: true,
    description: 'The SMTP command that failed (MAIL FROM, RCPT TO, DATA …).',
  })
  command?: string;

  @Field(() => String, { nullable: true, description: 'The vendor’s own error code.' })
  vendorCode?: string;

  @Field(() => String, { description: 'The provider’s words, with secrets removed.' })
  message: string;

  @Field(() => Boolean, {
    nullable: true,
    description: 'The message may have been delivered although this attempt failed.',
  })
  possibleDuplicate?: boolean;
}

@ObjectType()
export class VerificationResult {
  @Field(() => Boolean)
  ok: boolean;

  @Field(() => GraphQLDateTime)
  checkedAt: Date;

  @Field(() => Int)
  durationMs: number;

  @Field(() => Failure, { nullable: true })
  failure?: Failure;

  @Field(() => [String])
  warnings: string[];
}

@ObjectType({ description: 'One provider’s part in one send.' })
export class DeliveryAttempt {
  @Field(() => ID, { nullable: true })
  providerId?: string;

  @Field(() => String)
  providerName: string;

  @Field(() => GraphQLDateTime)
  startedAt: Date;

  @Field(() => Int)
  durationMs: number;

  @Field(() => AttemptOutcomeEnum)
  outcome: AttemptOutcome;

  @Field(() => Failure, { nullable: true })
  failure?: Failure;

  @Field(() => String, {
    nullable: true,
    description: 'Why the provider was skipped: circuit_open or cooling_down.',
  })
  skippedReason?: string;
}

@ObjectType()
export class TestEmailResult {
  @Field(() => Boolean)
  ok: boolean;

  @Field(() => String, { nullable: true })
  messageId?: string | null;

  @Field(() => [DeliveryAttempt])
  attempts: DeliveryAttempt[];

  @Field(() => Failure, { nullable: true, description: 'What ended the send when nothing was delivered.' })
  failure?: Failure | null;

  @Field(() => GraphQLDateTime)
  sentAt: Date;

  @Field(() => ChannelEnum, {
    nullable: true,
    description: 'The channel walked, when the test went through the chain.',
  })
  channel?: Channel | null;
}
