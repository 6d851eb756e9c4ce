import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { renderAlert } from '../alerts/alert-text';
import type { Context } from '../context';
import type { AlertKind } from '../entities/alert-event.entity';
import { BadUserInputError } from '../errors';
import { DurableSendingService } from '../services/durable-sending.service';
import { AlertConnection, AlertKindEnum } from './types/alert.type';

const MAX_PAGE = 200;

@Resolver()
export class AlertResolver {
  @Authorized('READ')
  @Query(() => AlertConnection, {
    description:
      'Circuit and fallback alerts, newest first. One outage is one alert; repeats count occurrences.',
  })
  async alerts(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('kind', () => AlertKindEnum, { nullable: true }) kind?: AlertKind | null,
    @Arg('providerId', () => ID, { nullable: true }) providerId?: string | null,
    @Arg('openOnly', () => Boolean, { nullable: true, description: 'Only episodes still going on.' })
    openOnly?: boolean | null,
  ): Promise<AlertConnection> {
    if (first < 1 || first > MAX_PAGE) {
      throw new BadUserInputError([{ field: 'first', message: `Ask for 1 to ${MAX_PAGE} alerts per page.` }]);
    }
    const page = await ctx.services.get(DurableSendingService).alerts.list({
      first,
      after: after ?? null,
      kind: kind ?? null,
      providerId: providerId ?? null,
      openOnly: openOnly ?? null,
    });
    return {
      nodes: page.nodes.map((node) => ({
        ...node,
        message: renderAlert(node.code, node.params, ctx.locale),
      })),
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
