import { Arg, Authorized, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../context';
import type { ProviderEntity } from '../entities/provider.entity';
import { authMethodOfEntity, type AuthMethod } from '../oauth/auth-method';
import { OAuthConnectionService, type OAuthConnectionView } from '../oauth/oauth-connection.service';
import { OAuthSignInService } from '../oauth/oauth-sign-in.service';
import { callerOf } from './provider.resolver';
import { AuthMethodEnum } from './types/oauth.enums';
import { OAuthConnection, OAuthStart } from './types/oauth.type';
import { Provider } from './types/provider.type';

/** One read of the OAuth2 connections per request, however many providers it lists. */
const connectionReads = new WeakMap<Context, Promise<Map<string, OAuthConnectionView>>>();

/** The OAuth2 side of providers: how they log in, their connection, and connecting them. */
@Resolver(() => Provider)
export class ProviderOAuthResolver {
  @FieldResolver(() => AuthMethodEnum, {
    description:
      'How the provider logs in; providers saved before the choice existed show the inferred method.',
  })
  authMethod(@Root() provider: ProviderEntity): AuthMethod {
    return authMethodOfEntity(provider);
  }

  @FieldResolver(() => OAuthConnection, {
    nullable: true,
    description: 'The OAuth2 registration and connection; null unless the provider signs in with OAuth2.',
  })
  async oauth(@Root() provider: ProviderEntity, @Ctx() ctx: Context): Promise<OAuthConnectionView | null> {
    if (authMethodOfEntity(provider) !== 'oauth2') return null;
    let read = connectionReads.get(ctx);
    if (!read) {
      read = ctx.services.get(OAuthConnectionService).views();
      connectionReads.set(ctx, read);
    }
    return (await read).get(provider.id) ?? null;
  }

  @Authorized('MANAGE')
  @Mutation(() => OAuthStart, {
    description:
      'Starts the OAuth2 sign-in of a provider saved with authMethod OAUTH2 (an administrator signed in to the panel only): send the browser to authorizeUrl; it comes back to /oauth/callback.',
  })
  startProviderOAuth(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<OAuthStart> {
    return ctx.services.get(OAuthSignInService).start(id, callerOf(ctx), ctx.http.origin);
  }

  @Authorized('MANAGE')
  @Mutation(() => Provider, {
    description:
      'Drops the provider’s OAuth2 tokens (the registration stays); an ACTIVE provider that signs in with OAuth2 becomes INACTIVE.',
  })
  disconnectProviderOAuth(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ProviderEntity> {
    return ctx.services.get(OAuthConnectionService).disconnect(id, callerOf(ctx));
  }
}
