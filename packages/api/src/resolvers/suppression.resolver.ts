import type { Channel } from '@mail-providers/mailer-core';
import { Arg, Authorized, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../context';
import { BadUserInputError } from '../errors';
import { SuppressionService, type SuppressionView } from '../suppressions/suppression.service';
import { ChannelEnum } from './types/provider.enums';
import { Suppression, SuppressionConnection, SuppressionImportResult } from './types/suppression.type';

const MAX_PAGE = 200;

function toSuppression(view: SuppressionView): Suppression {
  const { scope, ...rest } = view;
  return { ...rest, channel: scope === 'ALL' ? null : scope };
}

@Resolver(() => Suppression)
export class SuppressionResolver {
  @Authorized('READ')
  @Query(() => SuppressionConnection, {
    description: 'The suppression list, newest first; search matches any part of the address.',
  })
  async suppressions(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after?: string | null,
    @Arg('search', () => String, { nullable: true }) search?: string | null,
  ): Promise<SuppressionConnection> {
    if (first < 1 || first > MAX_PAGE) {
      throw new BadUserInputError([
        { field: 'first', message: `Ask for 1 to ${MAX_PAGE} entries per page.` },
      ]);
    }
    const page = await ctx.services
      .get(SuppressionService)
      .list({ first, after: after ?? null, search: search ?? null });
    return {
      nodes: page.nodes.map(toSuppression),
      totalCount: page.totalCount,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Authorized('READ')
  @Query(() => String, {
    description:
      'The whole suppression list as CSV, newest first, with the header line email,channel,source,reason,created_at.',
  })
  exportSuppressions(@Ctx() ctx: Context): Promise<string> {
    return ctx.services.get(SuppressionService).exportCsv();
  }

  @Authorized('MANAGE')
  @Mutation(() => Suppression, {
    description:
      'Suppresses an address for all mail (channel null) or one channel’s. An address already listed for that channel keeps its entry, which is returned unchanged.',
  })
  async addSuppression(
    @Ctx() ctx: Context,
    @Arg('email', () => String) email: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
    @Arg('channel', () => ChannelEnum, { nullable: true }) channel?: Channel | null,
  ): Promise<Suppression> {
    const view = await ctx.services
      .get(SuppressionService)
      .add({ email, reason: reason ?? null, channel: channel ?? null }, ctx.auth);
    return toSuppression(view);
  }

  @Authorized('MANAGE')
  @Mutation(() => Int, {
    description:
      'Removes an address from the suppression list: its entry for channel, or every entry of the address when channel is omitted. Returns how many entries were removed.',
  })
  removeSuppression(
    @Ctx() ctx: Context,
    @Arg('email', () => String) email: string,
    @Arg('channel', () => ChannelEnum, { nullable: true }) channel?: Channel | null,
  ): Promise<number> {
    return ctx.services.get(SuppressionService).remove(email, channel ?? undefined, ctx.auth);
  }

  @Authorized('MANAGE')
  @Mutation(() => SuppressionImportResult, {
    description:
      'Adds entries from CSV in the export’s columns (email required, the rest optional); good lines are added, bad ones are listed with their line number.',
  })
  importSuppressions(
    @Ctx() ctx: Context,
    @Arg('csv', () => String) csv: string,
  ): Promise<SuppressionImportResult> {
    return ctx.services.get(SuppressionService).importCsv(csv, ctx.auth);
  }
}
