import type { Channel } from '@mail-providers/mailer-core';
import { Arg, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { ChainService, type DeliveryChainView } from '../services/chain.service';
import { ChannelEnum } from './types/provider.enums';
import { DeliveryChain } from './types/provider.chain';

@Resolver(() => DeliveryChain)
export class ChainResolver {
  @Authorized('READ')
  @Query(() => DeliveryChain, {
    description: 'The providers a send on this channel walks now, in order, with setup warnings.',
  })
  deliveryChain(
    @Arg('channel', () => ChannelEnum, { nullable: true, defaultValue: 'DEFAULT' }) channel: Channel | null,
    @Ctx() ctx: Context,
  ): Promise<DeliveryChainView> {
    return ctx.services.get(ChainService).deliveryChain(channel ?? 'DEFAULT', { locale: ctx.locale });
  }
}
