import { Field, ID, ObjectType } from 'type-graphql';
import type { Channel } from '@mail-providers/mailer-core';
import { ChannelEnum } from './provider.enums';
import { Provider } from './provider.type';

@ObjectType({ description: 'Something about the setup an operator should fix or know.' })
export class SetupWarning {
  @Field(() => String, {
    description:
      'NO_ACTIVE_PRIMARY, NO_ACTIVE_FALLBACK, FALLBACK_BEFORE_PRIMARY, NOT_TESTED_SINCE_CHANGE, SINGLE_HOST, CIRCUIT_OPEN, COOLING_DOWN or SEVERAL_PRIMARIES.',
  })
  code: string;

  @Field(() => String, { description: 'error, warning or info.' })
  severity: string;

  @Field(() => ID, { nullable: true })
  providerId?: string | null;

  @Field(() => String)
  message: string;
}

@ObjectType({ description: 'The providers a send on this channel walks now, in order, with setup warnings.' })
export class DeliveryChain {
  @Field(() => ChannelEnum)
  channel: Channel;

  @Field(() => [Provider])
  providers: Provider[];

  @Field(() => [SetupWarning])
  warnings: SetupWarning[];
}
