import { GraphQLDateTime } from 'graphql-scalars';
import { Field, ObjectType } from 'type-graphql';
import type { OAuthFlavour } from '../../oauth/oauth-endpoints';
import { OAuthFlavourEnum } from './oauth.enums';

/** A provider's OAuth2 registration and the health of its connection; never a secret or a token. */
@ObjectType({
  description:
    'The OAuth2 sign-in of a provider: its app registration (the client secret is write-only) and the state of the connection. Tokens never leave the server.',
})
export class OAuthConnection {
  @Field(() => OAuthFlavourEnum)
  flavour: OAuthFlavour;

  @Field(() => String)
  clientId: string;

  @Field(() => Boolean, {
    description: 'Whether a client secret is stored. The value itself is never returned.',
  })
  clientSecretSet: boolean;

  @Field(() => String, { nullable: true })
  tenant: string | null;

  @Field(() => String, { nullable: true, description: 'GENERIC: the authorization endpoint.' })
  authorizeUrl: string | null;

  @Field(() => String, { nullable: true, description: 'GENERIC: the token endpoint.' })
  tokenUrl: string | null;

  @Field(() => [String], { description: 'The scopes asked for; empty: the flavour’s defaults.' })
  scopes: string[];

  @Field(() => Boolean, { description: 'Whether a sign-in completed and its refresh token is stored.' })
  connected: boolean;

  @Field(() => String, {
    nullable: true,
    description:
      'The account signed in: the ID token’s email or preferred_username, else the provider’s username.',
  })
  account: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the cached access token expires.' })
  accessTokenExpiresAt: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a token was last obtained.' })
  lastRefreshAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the last refresh or sign-in failed; null after one that worked.',
  })
  lastError: string | null;
}

@ObjectType({ description: 'A sign-in started: send the admin’s browser to authorizeUrl.' })
export class OAuthStart {
  @Field(() => String, {
    description: 'The provider’s sign-in page, with a single-use state that expires after 10 minutes.',
  })
  authorizeUrl: string;
}
