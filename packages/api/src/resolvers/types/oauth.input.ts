import { Field, InputType } from 'type-graphql';
import type { OAuthFlavour } from '../../oauth/oauth-endpoints';
import { OAuthFlavourEnum } from './oauth.enums';

/** The app registration an OAUTH2 provider signs in with. Checked in oauth/oauth-settings.ts. */
@InputType({ description: 'The app registration of a provider that signs in with OAuth2.' })
export class OAuthSettingsInput {
  @Field(() => OAuthFlavourEnum)
  flavour: OAuthFlavour;

  @Field(() => String, { description: 'The application (client) id of the app registration.' })
  clientId: string;

  @Field(() => String, {
    nullable: true,
    description:
      'Write-only, stored encrypted. Omitted or empty on update keeps the stored one while the flavour, client id, tenant and URLs stay the same. Required for MICROSOFT and GOOGLE.',
  })
  clientSecret?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'MICROSOFT: the directory (tenant) id or its domain, such as contoso.onmicrosoft.com.',
  })
  tenant?: string | null;

  @Field(() => String, { nullable: true, description: 'GENERIC: the authorization endpoint (https).' })
  authorizeUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'GENERIC: the token endpoint (https).' })
  tokenUrl?: string | null;

  @Field(() => [String], {
    nullable: true,
    description:
      'Scopes to ask for. Omitted: MICROSOFT https://outlook.office.com/SMTP.Send offline_access openid email; GOOGLE https://mail.google.com/ openid email. Required for GENERIC.',
  })
  scopes?: string[] | null;
}
