import { Arg, Authorized, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { AuditService } from '../audit/audit.service';
import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import { AuditEntryConnection } from './types/audit-entry.type';

const MAX_PAGE = 200;

@Resolver()
export class AuditResolver {
  @Authorized('ADMIN')
  @Query(() => AuditEntryConnection, { description: 'The audit log, newest first. Administrators only.' })
  async auditLog(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('entityId', () => ID, { nullable: true }) entityId?: string | null,
  ): Promise<AuditEntryConnection> {
    if (first < 1 || first > MAX_PAGE) {
      throw new BadUserInputError([
        { field: 'first', message: `Ask for 1 to ${MAX_PAGE} entries per page.` },
      ]);
    }
    const page = await ctx.services
      .get(AuditService)
      .list({ first, after: after ?? null, entityId: entityId ?? null });
    return {
      nodes: page.nodes,
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }
}
