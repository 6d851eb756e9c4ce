import type { Failure as EngineFailure } from '@mail-providers/mailer-core';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import { Failure } from './types/provider.results';

@Resolver(() => Failure)
export class FailureResolver {
  @FieldResolver(() => String, {
    description: 'What to do about it, in the reader’s language (English or Turkish).',
  })
  hint(@Root() failure: EngineFailure, @Ctx() ctx: Context): string {
    return failure.hint[ctx.locale];
  }
}
