import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { RETENTION_DAYS, SettingsService, type SettingsView } from '../services/settings.service';
import { callerOf } from './provider.resolver';
import { Settings } from './types/settings.type';

@Resolver()
export class SettingsResolver {
  @Authorized('READ')
  @Query(() => Settings)
  settings(@Ctx() ctx: Context): Promise<SettingsView> {
    return ctx.services.get(SettingsService).get();
  }

  @Authorized('MANAGE')
  @Mutation(() => Settings, {
    description: `How many days (${RETENTION_DAYS.min} to ${RETENTION_DAYS.max}) the delivery log keeps finished deliveries and resolved alerts; the next purge applies it, in every process.`,
  })
  setDeliveryRetention(@Arg('days', () => Int) days: number, @Ctx() ctx: Context): Promise<SettingsView> {
    return ctx.services.get(SettingsService).setDeliveryRetentionDays(days, callerOf(ctx));
  }
}
