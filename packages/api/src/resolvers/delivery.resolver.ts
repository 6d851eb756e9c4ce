import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Channel } from '@mail-providers/mailer-core';
import type { Context } from '../context';
import type { DeliveryStatus } from '../entities/delivery.entity';
import { ProviderEntity } from '../entities/provider.entity';
import { BadUserInputError } from '../errors';
import { AuditService } from '../audit/audit.service';
import { deliveryHeaders, type MessageHeaderView } from '../services/delivery-headers';
import { toDeliveryEventView, type DeliveryEventView } from '../services/delivery-event-view';
import type { DeliveryAttemptView, DeliveryBodies, DeliveryView } from '../services/delivery.service';
import { DurableSendingService } from '../services/durable-sending.service';
import { EmailInput } from './types/delivery.input';
import {
  Delivery,
  DeliveryConnection,
  DeliveryEvent,
  DeliveryStatsBucket,
  DeliveryStatusEnum,
  MessageHeader,
} from './types/delivery.type';
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

/** Bodies read once per delivery per request, however many of text and html it asks for. */
const bodiesByRequest = new WeakMap<object, Map<string, Promise<DeliveryBodies | null>>>();

function bodiesOf(ctx: Context, id: string): Promise<DeliveryBodies | null> {
  let byId = bodiesByRequest.get(ctx.http);
  if (!byId) {
    byId = new Map();
    bodiesByRequest.set(ctx.http, byId);
  }
  let bodies = byId.get(id);
  if (!bodies) {
    bodies = ctx.services.get(DurableSendingService).deliveries.bodiesOf(id);
    byId.set(id, bodies);
  }
  return bodies;
}

/**
 * Events asked for by the deliveries of one request, read in one query: the ids asked for in the same tick
 * (a page of the log resolves every delivery's events together) are read together.
 */
const eventLoads = new WeakMap<
  object,
  { ids: Set<string>; loaded: Promise<Map<string, DeliveryEventView[]>> }
>();

function eventsOf(ctx: Context, id: string): Promise<DeliveryEventView[]> {
  let load = eventLoads.get(ctx.http);
  if (!load) {
    const ids = new Set<string>();
    const loaded = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      eventLoads.delete(ctx.http);
      const events = await ctx.services.get(DurableSendingService).deliveries.eventsOf([...ids]);
      return new Map([...events].map(([deliveryId, list]) => [deliveryId, list.map(toDeliveryEventView)]));
    });
    load = { ids, loaded };
    eventLoads.set(ctx.http, load);
  }
  load.ids.add(id);
  return load.loaded.then((byId) => byId.get(id) ?? []);
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

  @Authorized('SEND', 'MANAGE')
  @Mutation(() => Delivery, {
    description:
      'Sends a delivery again as a new one (resentFrom names the original) with the same subject, bodies, reply-to and channel: to the addresses in to, checked like sendEmail’s, or, without to, to the original recipients with their cc and bcc.',
  })
  async resendDelivery(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('to', () => [String], { nullable: true }) to?: string[] | null,
  ): Promise<Delivery> {
    const durable = ctx.services.get(DurableSendingService);
    const view = await durable.deliveries.resend({ id, to: to ?? null, requestedBy: requester(ctx) });
    await ctx.services.get(AuditService).record({
      actor: ctx.auth,
      action: 'delivery.resend',
      entityType: 'delivery',
      entityId: view.id,
      fields: to ? ['resentFrom', 'to'] : ['resentFrom'],
    });
    return toDelivery(view);
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

  @FieldResolver(() => String, { nullable: true, description: 'The plain-text body.' })
  async text(@Root() delivery: Delivery, @Ctx() ctx: Context): Promise<string | null> {
    return (await bodiesOf(ctx, delivery.id))?.text ?? null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description: 'The HTML body as given: show it only where scripts and remote content cannot run.',
  })
  async html(@Root() delivery: Delivery, @Ctx() ctx: Context): Promise<string | null> {
    return (await bodiesOf(ctx, delivery.id))?.html ?? null;
  }

  @FieldResolver(() => [MessageHeader], {
    description:
      'The headers the message is sent with: From (the delivering provider’s, once delivered), To, Cc, Reply-To, Subject, Message-ID and Date (when sent). Bcc is never a header; see bcc.',
  })
  async headers(@Root() delivery: Delivery, @Ctx() ctx: Context): Promise<MessageHeaderView[]> {
    const deliverer = delivery.deliveredByProviderId
      ? (await providersOf(ctx)).get(delivery.deliveredByProviderId)
      : undefined;
    return deliveryHeaders({ ...delivery, from: deliverer ?? null });
  }

  @FieldResolver(() => Delivery, {
    nullable: true,
    description: 'The delivery this one was resent from; null once it is purged from the log.',
  })
  async resentFrom(@Root() delivery: Delivery, @Ctx() ctx: Context): Promise<Delivery | null> {
    if (!delivery.resentFromId) return null;
    const view = await ctx.services.get(DurableSendingService).deliveries.get(delivery.resentFromId);
    return view ? toDelivery(view) : null;
  }

  @FieldResolver(() => [DeliveryEvent], {
    description:
      'What became of the delivery, oldest first: queued, suppressed recipients, sent or failed, then what the vendor reported (delivered, bounced, complained).',
  })
  events(@Root() delivery: Delivery, @Ctx() ctx: Context): Promise<DeliveryEventView[]> {
    return eventsOf(ctx, delivery.id);
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
