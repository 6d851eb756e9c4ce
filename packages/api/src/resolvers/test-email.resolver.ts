import type { Channel } from '@mail-providers/mailer-core';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import type { ProviderEntity } from '../entities/provider.entity';
import type { TestEmailRecord } from '../services/provider-records';
import { ProviderService } from '../services/provider.service';
import { TestEmailService } from '../services/test-email.service';
import { assertProviderCheckBudget } from './provider-check-budget';
import { callerOf } from './provider.resolver';
import { ChannelEnum } from './types/provider.enums';
import { TestEmailResult } from './types/provider.results';
import { Provider } from './types/provider.type';

@Resolver(() => TestEmailResult)
export class TestEmailResolver {
  @Authorized('SEND', 'MANAGE')
  @Mutation(() => TestEmailResult, {
    description:
      'With providerId (needs MANAGE): through that provider alone, active or not (no fallback), the result kept on it. Without (SEND or MANAGE): through the live chain of the channel, active providers only, every attempt returned; the provider that delivered keeps it as a passed test (lastTestEmail), each that failed its own failed attempt.',
  })
  sendTestEmail(
    @Arg('to', () => String) to: string,
    @Arg('providerId', () => ID, { nullable: true }) providerId: string | null | undefined,
    @Arg('channel', () => ChannelEnum, { nullable: true, defaultValue: 'DEFAULT' }) channel: Channel | null,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<TestEmailRecord> {
    assertProviderCheckBudget(info);
    return ctx.services
      .get(TestEmailService)
      .send({ to, providerId: providerId ?? null, channel: channel ?? 'DEFAULT' }, callerOf(ctx));
  }

  @FieldResolver(() => Provider, {
    nullable: true,
    description: 'The provider that accepted the message, if it still exists.',
  })
  deliveredBy(@Root() result: TestEmailRecord, @Ctx() ctx: Context): Promise<ProviderEntity | null> {
    return result.deliveredBy
      ? ctx.services.get(ProviderService).find(result.deliveredBy)
      : Promise.resolve(null);
  }
}
