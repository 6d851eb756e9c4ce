import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { ApiVendor } from '@mail-providers/mailer-core';
import type { EventType } from '../../events/event-types';
import { EventTypeEnum } from './event-type.enum';
import { PageInfo } from './page-info.type';
import { ApiVendorEnum } from './provider.enums';

@ObjectType({ description: 'One delivery event an API vendor reported by webhook.' })
export class VendorEvent {
  @Field(() => ID)
  id: string;

  @Field(() => ApiVendorEnum)
  vendor: ApiVendor;

  @Field(() => ID)
  providerId: string;

  @Field(() => String, { nullable: true })
  providerName: string | null;

  @Field(() => GraphQLDateTime)
  receivedAt: Date;

  @Field(() => String, {
    description: 'The vendor’s own name of the event, e.g. "bounce", "HardBounce", "email.bounced".',
  })
  vendorEventType: string;

  @Field(() => EventTypeEnum, {
    nullable: true,
    description: 'What it maps to; null when it maps to nothing tracked (opens, clicks …).',
  })
  eventType: EventType | null;

  @Field(() => String, { nullable: true })
  recipient: string | null;

  @Field(() => String, { nullable: true })
  vendorMessageId: string | null;

  @Field(() => String, { nullable: true, description: 'The vendor’s diagnostic.' })
  reason: string | null;
}

@ObjectType()
export class VendorEventConnection {
  @Field(() => [VendorEvent])
  nodes: VendorEvent[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}
