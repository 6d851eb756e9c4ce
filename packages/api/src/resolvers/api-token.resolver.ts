import { Arg, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { ApiTokenService } from '../auth/api-token.service';
import type { Context } from '../context';
import type { ApiTokenEntity, ApiTokenScope } from '../entities/api-token.entity';
import { ApiToken, ApiTokenScopeValue, CreatedApiToken } from './types/api-token.type';

@Resolver()
export class ApiTokenResolver {
  @Authorized('ADMIN')
  @Query(() => [ApiToken], { description: 'Every API token, newest first (without the tokens themselves).' })
  apiTokens(@Ctx() ctx: Context): Promise<ApiTokenEntity[]> {
    return ctx.services.get(ApiTokenService).list();
  }

  @Authorized('ADMIN')
  @Mutation(() => CreatedApiToken, { description: 'Creates an API token; the token is returned this once.' })
  async createApiToken(
    @Arg('name', () => String) name: string,
    @Arg('scopes', () => [ApiTokenScopeValue]) scopes: ApiTokenScope[],
    @Ctx() ctx: Context,
  ): Promise<{ token: string; apiToken: ApiTokenEntity }> {
    const created = await ctx.services.get(ApiTokenService).create(name, scopes, ctx.auth);
    return { token: created.token, apiToken: created.record };
  }

  @Authorized('ADMIN')
  @Mutation(() => ApiToken, { description: 'Revokes an API token at once. Revoking twice is harmless.' })
  revokeApiToken(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ApiTokenEntity> {
    return ctx.services.get(ApiTokenService).revoke(id, ctx.auth);
  }
}
