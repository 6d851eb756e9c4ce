import type { Channel, RejectedRecipient } from '@mail-providers/mailer-core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { DeliveryStatus } from '../../entities/delivery.entity';
import type { DeliveryAttemptView } from '../../services/delivery.service';
import { PageInfo } from './page-info.type';
import { ChannelEnum } from './provider.enums';
import { Failure } from './provider.results';

export const DeliveryStatusEnum = {
  QUEUED: 'QUEUED',
  SENDING: 'SENDING',
  RETRYING: 'RETRYING',
  SENT: 'SENT',
  FAILED: 'FAILED',
} as const satisfies Record<DeliveryStatus, DeliveryStatus>;

registerEnumType(DeliveryStatusEnum, {
  name: 'DeliveryStatus',
  description:
    'QUEUED: accepted, waiting for a worker; SENDING: being handed to providers; RETRYING: every provider failed, the next round is scheduled (nextAttemptAt); SENT; FAILED: see failureReason.',
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
@ObjectType({ description: 'A message accepted by sendEmail, from acceptance to SENT or FAILED.' })
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

  @Field(() => Date, { nullable: true, description: 'When it reached SENT or FAILED.' })
  finishedAt: Date | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The delivery this one was resent from (resendDelivery); kept after that one is purged.',
  })
  resentFromId: string | null;

  /** Resolved to deliveredBy. */
  deliveredByProviderId: string | null;

  /** Filled when the list was loaded with its attempts in one query. */
  preloadedAttempts?: DeliveryAttemptView[];
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
