import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import { VendorEventService } from '../inbound/vendor-event.service';
import { VendorEventConnection } from './types/vendor-event.type';

const MAX_PAGE = 200;

@Resolver()
export class VendorEventResolver {
  @Authorized('READ')
  @Query(() => VendorEventConnection, {
    description:
      'Delivery events vendors reported that match no delivery (sent before the product recorded ids, or by another sender on the same account), newest first. They are kept, never dropped.',
  })
  async unmatchedVendorEvents(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
  ): Promise<VendorEventConnection> {
    if (first < 1 || first > MAX_PAGE) {
      throw new BadUserInputError([{ field: 'first', message: `Ask for 1 to ${MAX_PAGE} events per page.` }]);
    }
    const page = await ctx.services.get(VendorEventService).unmatched(first, after ?? null);
    return {
      nodes: page.nodes,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
