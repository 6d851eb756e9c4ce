import type { ApiVendor, Channel, RejectedRecipient } from '@mail-providers/mailer-core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DeliveryStatus } from '../../entities/delivery.entity';
import type { BounceType, EventType } from '../../events/event-types';
import { EventTypeEnum } from './event-type.enum';
import type { DeliveryAttemptView } from '../../services/delivery.service';
import { PageInfo } from './page-info.type';
import { ApiVendorEnum, ChannelEnum } from './provider.enums';
import { Failure } from './provider.results';

export const DeliveryStatusEnum = {
  QUEUED: 'QUEUED',
  SENDING: 'SENDING',
  RETRYING: 'RETRYING',
  SENT: 'SENT',
  FAILED: 'FAILED',
  SUPPRESSED: 'SUPPRESSED',
} as const satisfies Record<DeliveryStatus, DeliveryStatus>;

registerEnumType(DeliveryStatusEnum, {
  name: 'DeliveryStatus',
  description:
    'QUEUED: accepted, waiting for a worker; SENDING: being handed to providers; RETRYING: every provider failed, the next round is scheduled (nextAttemptAt); SENT; FAILED: see failureReason; SUPPRESSED: every recipient is on the suppression list, so nothing was sent and no provider was tried (see suppressedRecipients).',
});

@ObjectType({ description: 'A recipient the provider refused while it accepted the others.' })
export class RejectedRecipientType implements RejectedRecipient {
  @Field(() => String)
  address: string;

  @Field(() => Int, { nullable: true })
  smtpCode?: number;

  @Field(() => String, { nullable: true })
  enhancedCode?: string;

  @Field(() => String)
  message: string;
}

@ObjectType({ description: 'One header of a message as it is sent.' })
export class MessageHeader {
  @Field(() => String)
  name: string;

  @Field(() => String)
  value: string;
}

/**
 * One message accepted by sendEmail. `deliveredBy` and `attempts` are resolved in delivery.resolver.ts;
 * the rest is the stored row.
 */
@ObjectType({
  description: 'A message accepted by sendEmail, from acceptance to SENT, FAILED or SUPPRESSED.',
})
export class Delivery {
  @Field(() => ID)
  id: string;

  @Field(() => DeliveryStatusEnum)
  status: DeliveryStatus;

  @Field(() => ChannelEnum)
  channel: Channel;

  @Field(() => [String])
  to: string[];

  @Field(() => [String])
  cc: string[];

  @Field(() => [String])
  bcc: string[];

  @Field(() => String, { nullable: true })
  replyTo: string | null;

  @Field(() => String)
  subject: string;

  @Field(() => Int, { description: 'UTF-8 bytes of subject and bodies.' })
  sizeBytes: number;

  @Field(() => String, { nullable: true })
  idempotencyKey: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Set when a worker starts the first round (null while QUEUED before it); from then on every provider and every retry sends this Message-ID.',
  })
  messageId: string | null;

  @Field(() => Int, { description: 'Rounds started; one round walks the chain once.' })
  rounds: number;

  @Field(() => String, {
    nullable: true,
    description:
      'Name of the provider that accepted the message, kept even if that provider is deleted later.',
  })
  deliveredByProviderName: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The provider’s own id for the message, when it gave one.',
  })
  providerMessageId: string | null;

  @Field(() => [RejectedRecipientType])
  rejectedRecipients: RejectedRecipient[];

  @Field(() => Failure, {
    nullable: true,
    description: 'The last round’s failure: why it is RETRYING, or why it ended FAILED.',
  })
  failure: Failure | null;

  @Field(() => String, { nullable: true, description: 'One sentence: why the last round did not deliver.' })
  failureReason: string | null;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  sentAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the next round starts, while RETRYING.' })
  nextAttemptAt: Date | null;

  @Field(() => Date, { nullable: true, description: 'When it reached SENT, FAILED or SUPPRESSED.' })
  finishedAt: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The delivery this one was resent from (resendDelivery); kept after that one is purged.',
  })
  resentFromId: string | null;

  @Field(() => [String], {
    description:
      'Recipients dropped at acceptance because they are on the suppression list (bare addresses, lower case); the message went to the others.',
  })
  suppressedRecipients: string[];

  /** Resolved to deliveredBy. */
  deliveredByProviderId: string | null;

  /** Filled when the list was loaded with its attempts in one query. */
  preloadedAttempts?: DeliveryAttemptView[];
}

export const BounceTypeEnum = { HARD: 'HARD', SOFT: 'SOFT' } as const satisfies Record<
  BounceType,
  BounceType
>;

registerEnumType(BounceTypeEnum, {
  name: 'BounceType',
  description: 'HARD: the address does not exist or refuses mail for good; SOFT: a passing refusal.',
});

@ObjectType({ description: 'One event in the life of a delivery, as its timeline shows it.' })
export class DeliveryEvent {
  @Field(() => ID)
  id: string;

  @Field(() => EventTypeEnum)
  type: EventType;

  @Field(() => Date)
  occurredAt: Date;

  @Field(() => String, {
    nullable: true,
    description: 'The recipient it is about (vendor events, suppressed recipients).',
  })
  recipient: string | null;

  @Field(() => ID, { nullable: true })
  providerId: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The provider’s name when the event was written, kept after the provider is deleted.',
  })
  providerName: string | null;

  @Field(() => ApiVendorEnum, { nullable: true, description: 'Set for events a vendor reported.' })
  vendor: ApiVendor | null;

  @Field(() => BounceTypeEnum, { nullable: true, description: 'DELIVERY_BOUNCED only.' })
  bounceType: BounceType | null;

  @Field(() => String, {
    nullable: true,
    description: 'The vendor’s diagnostic, or why the delivery failed.',
  })
  reason: string | null;
}

@ObjectType()
export class DeliveryConnection {
  @Field(() => [Delivery])
  nodes: Delivery[];

  @Field(() => Int)
  totalCount: number;

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}

@ObjectType({ description: 'Sent and failed attempts of one provider in one hour (for charts).' })
export class DeliveryStatsBucket {
  @Field(() => Date, { description: 'Start of the hour (UTC).' })
  hour: Date;

  @Field(() => ID, { nullable: true })
  providerId: string | null;

  @Field(() => String)
  providerName: string;

  @Field(() => Int)
  sent: number;

  @Field(() => Int)
  failed: number;
}
