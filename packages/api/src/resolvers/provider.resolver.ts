import {
  channelOf,
  eventVendorOf,
  type Channel,
  type ProviderHealth as EngineHealth,
  type ProviderStatus,
  type VerifyResult,
} from '@mail-providers/mailer-core';
import { sendsNoPassword } from '@mail-providers/mailer-core/rules';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import type { ProviderEntity } from '../entities/provider.entity';
import { inboundWebhookPath } from '../inbound/inbound-webhook.service';
import { authMethodOfEntity } from '../oauth/auth-method';
import { MailerService } from '../services/mailer.service';
import { STORED_PASSWORD_RULE } from '../services/provider-validation';
import { ProviderService, type Caller } from '../services/provider.service';
import { VerificationService } from '../services/verification.service';
import { assertProviderCheckBudget } from './provider-check-budget';
import { ChannelEnum, ProviderStatusEnum } from './types/provider.enums';
import { ProviderInput, ProviderServiceTypeInput } from './types/provider.input';
import { VerificationResult } from './types/provider.results';
import { Provider, ProviderHealth } from './types/provider.type';

/** One read of the health store per request, however many providers it lists. */
const healthReads = new WeakMap<Context, Promise<(id: string) => EngineHealth>>();

function healthReader(ctx: Context): Promise<(id: string) => EngineHealth> {
  let reader = healthReads.get(ctx);
  if (!reader) {
    reader = ctx.services.get(MailerService).healthSnapshot();
    healthReads.set(ctx, reader);
  }
  return reader;
}

export function callerOf(ctx: Context): Caller {
  return { auth: ctx.auth, locale: ctx.locale };
}

@Resolver(() => Provider)
export class ProviderResolver {
  @Authorized('READ')
  @Query(() => [Provider], { description: 'Every provider, by priority.' })
  providers(@Ctx() ctx: Context): Promise<ProviderEntity[]> {
    return ctx.services.get(ProviderService).list();
  }

  @Authorized('READ')
  @Query(() => Provider, { nullable: true })
  provider(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ProviderEntity | null> {
    return ctx.services.get(ProviderService).find(id);
  }

  @Authorized('MANAGE')
  @Mutation(() => Provider, {
    description:
      'Adds a provider at the end of the order. With status ACTIVE its settings are verified first.',
  })
  createProvider(
    @Arg('input', () => ProviderInput) input: ProviderInput,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProviderEntity> {
    assertProviderCheckBudget(info);
    return ctx.services.get(ProviderService).create(input, callerOf(ctx));
  }

  @Authorized('MANAGE')
  @Mutation(() => Provider, {
    description: `Saves new settings; ${STORED_PASSWORD_RULE}. An active provider whose credentials change is verified in the same request, and nothing changes if that fails.`,
  })
  updateProvider(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ProviderInput) input: ProviderInput,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProviderEntity> {
    assertProviderCheckBudget(info);
    return ctx.services.get(ProviderService).update(id, input, callerOf(ctx));
  }

  @Authorized('MANAGE')
  @Mutation(() => ID, { description: 'Deletes the provider and closes the gap in the order.' })
  deleteProvider(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<string> {
    return ctx.services.get(ProviderService).delete(id, callerOf(ctx));
  }

  @Authorized('MANAGE')
  @Mutation(() => Provider, {
    description:
      'ACTIVE verifies settings not verified yet first, as saving does (the result kept in lastVerification), and leaves the provider inactive when that fails. INACTIVE always.',
  })
  setProviderStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => ProviderStatusEnum) status: ProviderStatus,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ProviderEntity> {
    assertProviderCheckBudget(info);
    return ctx.services.get(ProviderService).setStatus(id, status, callerOf(ctx));
  }

  @Authorized('MANAGE')
  @Mutation(() => VerificationResult, {
    description:
      'Connects and authenticates with the saved settings, sending nothing; the result is kept on the provider.',
  })
  async verifyProvider(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<VerifyResult> {
    assertProviderCheckBudget(info);
    const { result } = await ctx.services.get(VerificationService).verifyProvider(id, callerOf(ctx));
    return result;
  }

  @Authorized('MANAGE')
  @Mutation(() => VerificationResult, {
    description: `Checks settings before saving them, sending nothing. With id, that provider’s password stands in: ${STORED_PASSWORD_RULE}.`,
  })
  verifyProviderSettings(
    @Arg('input', () => ProviderInput) input: ProviderInput,
    @Arg('id', () => ID, { nullable: true }) id: string | null | undefined,
    @Ctx() ctx: Context,
    @Info() info: GraphQLResolveInfo,
  ): Promise<VerifyResult> {
    assertProviderCheckBudget(info);
    return ctx.services.get(VerificationService).verifySettings(input, id ?? null, callerOf(ctx));
  }

  @Authorized('MANAGE')
  @Mutation(() => [Provider], {
    description:
      'The complete new order: every provider exactly once. With serviceTypes, those providers move to the tier given in the same transaction (an order and its tiers are saved together or not at all).',
  })
  reorderProviders(
    @Arg('ids', () => [ID]) ids: string[],
    @Arg('serviceTypes', () => [ProviderServiceTypeInput], { nullable: true })
    serviceTypes: ProviderServiceTypeInput[] | null | undefined,
    @Ctx() ctx: Context,
  ): Promise<ProviderEntity[]> {
    return ctx.services.get(ProviderService).reorder(ids, callerOf(ctx), serviceTypes ?? []);
  }

  @FieldResolver(() => Boolean, {
    description:
      'Whether a password or API key is stored. The value itself is never returned. False for an SMTP relay with no login (empty username).',
  })
  passwordSet(@Root() provider: ProviderEntity): boolean {
    const authMethod = authMethodOfEntity(provider);
    return provider.passwordCiphertext.length > 0 && !sendsNoPassword({ ...provider, authMethod });
  }

  @FieldResolver(() => Boolean, {
    description:
      "Whether a secret for the vendor's delivery-event webhook is stored. The value itself is never returned.",
  })
  webhookSecretSet(@Root() provider: ProviderEntity): boolean {
    return provider.webhookSecretCiphertext !== null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "Where the vendor posts delivery events, to paste into its dashboard: <PUBLIC_URL, else this server's address>/webhooks/<vendor>/<id>. For providers of an API vendor, by its HTTP API or its SMTP relay (known by host name); null for other SMTP servers.",
  })
  inboundWebhookUrl(@Root() provider: ProviderEntity, @Ctx() ctx: Context): string | null {
    const vendor = eventVendorOf(provider);
    if (!vendor) return null;
    const base = ctx.services.config.publicUrl ?? ctx.http.origin;
    return `${base}${inboundWebhookPath(vendor, provider.id)}`;
  }

  @FieldResolver(() => ChannelEnum, { description: 'CRM_API_SMTP providers serve CRM; the others DEFAULT.' })
  channel(@Root() provider: ProviderEntity): Channel {
    return channelOf(provider);
  }

  @FieldResolver(() => ProviderHealth)
  async health(@Root() provider: ProviderEntity, @Ctx() ctx: Context): Promise<EngineHealth> {
    const read = await healthReader(ctx);
    return read(provider.id);
  }
}
