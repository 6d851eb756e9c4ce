import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Channel } from '@mail-providers/mailer-core';
import type { Context } from '../context';
import type { DeliveryStatus } from '../entities/delivery.entity';
import { ProviderEntity } from '../entities/provider.entity';
import { BadUserInputError } from '../errors';
import type { DeliveryAttemptView, DeliveryView } from '../services/delivery.service';
import { DurableSendingService } from '../services/durable-sending.service';
import { EmailInput } from './types/delivery.input';
import { Delivery, DeliveryConnection, DeliveryStatsBucket, DeliveryStatusEnum } from './types/delivery.type';
import { ChannelEnum } from './types/provider.enums';
import { DeliveryAttempt } from './types/provider.results';
import { Provider } from './types/provider.type';

const MAX_PAGE = 200;

/** Providers read once per request: a page of deliveries names few providers, many times. */
const providersByRequest = new WeakMap<object, Promise<Map<string, ProviderEntity>>>();

function providersOf(ctx: Context): Promise<Map<string, ProviderEntity>> {
  let loaded = providersByRequest.get(ctx.http);
  if (!loaded) {
    loaded = ctx.services.dataSource
      .getRepository(ProviderEntity)
      .find()
      .then((rows) => new Map(rows.map((row) => [row.id, row])));
    providersByRequest.set(ctx.http, loaded);
  }
  return loaded;
}

function toDelivery(view: DeliveryView, attempts?: DeliveryAttemptView[]): Delivery {
  const delivery: Delivery = { ...view };
  if (attempts) delivery.preloadedAttempts = attempts;
  return delivery;
}

@Resolver(() => Delivery)
export class DeliveryResolver {
  @Authorized('SEND')
  @Mutation(() => Delivery, {
    description:
      'Stores the message and queues it in one transaction and answers at once with status QUEUED; workers deliver it through the chain, retrying for up to 24 h. The same idempotencyKey from the same caller returns the first delivery.',
  })
  async sendEmail(@Ctx() ctx: Context, @Arg('input', () => EmailInput) input: EmailInput): Promise<Delivery> {
    const durable = ctx.services.get(DurableSendingService);
    return toDelivery(await durable.deliveries.send(input, requester(ctx)));
  }

  @Authorized('SEND')
  @Mutation(() => [Delivery], {
    description: 'sendEmail for many messages in one transaction (all accepted or none), in the order given.',
  })
  async sendEmails(
    @Ctx() ctx: Context,
    @Arg('inputs', () => [EmailInput]) inputs: EmailInput[],
  ): Promise<Delivery[]> {
    const durable = ctx.services.get(DurableSendingService);
    const views = await durable.deliveries.sendMany(inputs, requester(ctx));
    return views.map((view) => toDelivery(view));
  }

  @Authorized('SEND')
  @Mutation(() => Delivery, { description: 'Sends a FAILED delivery again, with a fresh retry window.' })
  async retryDelivery(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Delivery> {
    return toDelivery(await ctx.services.get(DurableSendingService).deliveries.retry(id));
  }

  @Authorized('READ')
  @Query(() => DeliveryConnection, { description: 'The delivery log, newest first.' })
  async deliveries(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('status', () => DeliveryStatusEnum, { nullable: true }) status?: DeliveryStatus | null,
    @Arg('providerId', () => ID, {
      nullable: true,
      description: 'Deliveries this provider tried or delivered (skips not counted).',
    })
    providerId?: string | null,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Part of a recipient address or of the subject.',
    })
    search?: string | null,
    @Arg('from', () => Date, { nullable: true, description: 'Accepted at or after.' }) from?: Date | null,
    @Arg('to', () => Date, { nullable: true, description: 'Accepted before.' }) to?: Date | null,
    @Arg('channel', () => ChannelEnum, { nullable: true }) channel?: Channel | null,
  ): Promise<DeliveryConnection> {
    if (first < 1 || first > MAX_PAGE) {
      throw new BadUserInputError([
        { field: 'first', message: `Ask for 1 to ${MAX_PAGE} deliveries per page.` },
      ]);
    }
    const service = ctx.services.get(DurableSendingService).deliveries;
    const page = await service.list({
      first,
      after: after ?? null,
      status: status ?? null,
      providerId: providerId ?? null,
      search: search ?? null,
      createdFrom: from ?? null,
      createdTo: to ?? null,
      channel: channel ?? null,
    });
    const attempts = await service.attemptsOf(page.nodes.map((node) => node.id));
    return {
      nodes: page.nodes.map((node) => toDelivery(node, attempts.get(node.id) ?? [])),
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized('READ')
  @Query(() => Delivery, { nullable: true })
  async delivery(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<Delivery | null> {
    const view = await ctx.services.get(DurableSendingService).deliveries.get(id);
    return view ? toDelivery(view) : null;
  }

  @Authorized('READ')
  @Query(() => [DeliveryStatsBucket], {
    description: 'Sent and failed attempts per provider per hour in [from, to), for charts.',
  })
  async deliveryStats(
    @Ctx() ctx: Context,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Arg('providerId', () => ID, { nullable: true }) providerId?: string | null,
  ): Promise<DeliveryStatsBucket[]> {
    return ctx.services.get(DurableSendingService).deliveries.stats(from, to, providerId ?? null);
  }

  @FieldResolver(() => Provider, {
    nullable: true,
    description: 'The provider that accepted the message (null once that provider is deleted).',
  })
  async deliveredBy(@Root() delivery: Delivery, @Ctx() ctx: Context): Promise<ProviderEntity | null> {
    if (!delivery.deliveredByProviderId) return null;
    return (await providersOf(ctx)).get(delivery.deliveredByProviderId) ?? null;
  }

  @FieldResolver(() => [DeliveryAttempt], { description: 'Every attempt of every round, oldest first.' })
  async attempts(@Root() delivery: Delivery, @Ctx() ctx: Context): Promise<DeliveryAttemptView[]> {
    if (delivery.preloadedAttempts) return delivery.preloadedAttempts;
    const found = await ctx.services.get(DurableSendingService).deliveries.attemptsOf([delivery.id]);
    return found.get(delivery.id) ?? [];
  }
}

@Resolver(() => DeliveryAttempt)
export class DeliveryAttemptResolver {
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'The delivery round the attempt belongs to (delivery log only).',
  })
  round(@Root() attempt: DeliveryAttempt): number | null {
    return 'round' in attempt && typeof attempt.round === 'number' ? attempt.round : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The process that made the attempt (delivery log only).',
  })
  worker(@Root() attempt: DeliveryAttempt): string | null {
    return 'worker' in attempt && typeof attempt.worker === 'string' ? attempt.worker : null;
  }
}

function requester(ctx: Context): string | null {
  if (ctx.auth.kind === 'token') return `token:${ctx.auth.token.id}`;
  if (ctx.auth.kind === 'session') return `user:${ctx.auth.user.id}`;
  return null;
}
