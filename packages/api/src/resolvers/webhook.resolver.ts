import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import { InvalidAttemptCursorError } from '../webhooks/webhook-store';
import { WebhookService, type EndpointChange } from '../webhooks/webhook.service';
import {
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookEndpoint,
  WebhookEndpointCreated,
  WebhookEndpointInput,
  WebhookEndpointUpdateInput,
} from './types/webhook.type';

const MAX_PAGE = 200;

@Resolver(() => WebhookEndpoint)
export class WebhookResolver {
  @Authorized('READ')
  @Query(() => [WebhookEndpoint], { description: 'Every webhook endpoint, oldest first.' })
  async webhookEndpoints(@Ctx() ctx: Context): Promise<WebhookEndpoint[]> {
    const webhooks = ctx.services.get(WebhookService);
    const endpoints = await webhooks.list();
    const last = await webhooks.lastDeliveries(endpoints.map((endpoint) => endpoint.id));
    return endpoints.map((endpoint) => ({ ...endpoint, lastDelivery: last.get(endpoint.id) ?? null }));
  }

  @Authorized('READ')
  @Query(() => WebhookDeliveryConnection, {
    description: 'Attempts to deliver to one endpoint, newest first.',
  })
  async webhookDeliveries(
    @Ctx() ctx: Context,
    @Arg('endpointId', () => ID) endpointId: string,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<WebhookDeliveryConnection> {
    if (first < 1 || first > MAX_PAGE) {
      throw new BadUserInputError([
        { field: 'first', message: `Ask for 1 to ${MAX_PAGE} attempts per page.` },
      ]);
    }
    try {
      const page = await ctx.services.get(WebhookService).deliveries(endpointId, first, after ?? null);
      return {
        nodes: page.nodes,
        totalCount: page.totalCount,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      };
    } catch (error) {
      if (error instanceof InvalidAttemptCursorError)
        throw new BadUserInputError([{ field: 'after', message: error.message }]);
      throw error;
    }
  }

  @FieldResolver(() => WebhookDelivery, { nullable: true })
  async lastDelivery(
    @Root() endpoint: WebhookEndpoint,
    @Ctx() ctx: Context,
  ): Promise<WebhookDelivery | null> {
    if (endpoint.lastDelivery !== undefined) return endpoint.lastDelivery;
    const found = await ctx.services.get(WebhookService).lastDeliveries([endpoint.id]);
    return found.get(endpoint.id) ?? null;
  }

  @Authorized('MANAGE')
  @Mutation(() => WebhookEndpointCreated, {
    description: 'Adds an endpoint; the signing secret is in the answer and never shown again.',
  })
  createWebhookEndpoint(
    @Ctx() ctx: Context,
    @Arg('input', () => WebhookEndpointInput) input: WebhookEndpointInput,
  ): Promise<WebhookEndpointCreated> {
    return ctx.services.get(WebhookService).create(ctx.auth, {
      url: input.url,
      eventTypes: input.eventTypes,
      description: input.description ?? null,
      format: input.format ?? null,
      enabled: input.enabled ?? null,
      language: input.language ?? null,
    });
  }

  @Authorized('MANAGE')
  @Mutation(() => WebhookEndpoint)
  updateWebhookEndpoint(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('input', () => WebhookEndpointUpdateInput) input: WebhookEndpointUpdateInput,
  ): Promise<WebhookEndpoint> {
    const change: EndpointChange = {};
    if (input.url != null) change.url = input.url;
    if (input.eventTypes != null) change.eventTypes = input.eventTypes;
    if (input.description !== undefined) change.description = input.description;
    if (input.format != null) change.format = input.format;
    if (input.enabled != null) change.enabled = input.enabled;
    if (input.language != null) change.language = input.language;
    return ctx.services.get(WebhookService).update(ctx.auth, id, change);
  }

  @Authorized('MANAGE')
  @Mutation(() => Boolean)
  deleteWebhookEndpoint(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<boolean> {
    return ctx.services.get(WebhookService).remove(ctx.auth, id);
  }

  @Authorized('MANAGE')
  @Mutation(() => WebhookEndpointCreated, {
    description: 'Replaces the signing secret; the old one stops working at once. The new one is shown once.',
  })
  rotateWebhookSecret(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<WebhookEndpointCreated> {
    return ctx.services.get(WebhookService).rotateSecret(ctx.auth, id);
  }

  @Authorized('MANAGE')
  @Mutation(() => WebhookDelivery, {
    description: 'Sends a WEBHOOK_TEST event to the endpoint now and returns the attempt.',
  })
  sendTestWebhook(@Ctx() ctx: Context, @Arg('id', () => ID) id: string): Promise<WebhookDelivery> {
    return ctx.services.get(WebhookService).sendTest(id);
  }
}
