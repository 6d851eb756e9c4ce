import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { ApiTokenScope } from '../../entities/api-token.entity';

export const ApiTokenScopeValue = { SEND: 'SEND', READ: 'READ', MANAGE: 'MANAGE' } as const;
registerEnumType(ApiTokenScopeValue, {
  name: 'ApiTokenScope',
  description: 'SEND: send mail; READ: read providers and deliveries; MANAGE: change providers.',
});

@ObjectType({ description: 'An API token for scripts. The token itself is shown only when it is created.' })
export class ApiToken {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  name: string;

  @Field(() => String, { description: 'The first characters of the token, to tell tokens apart.' })
  prefix: string;

  @Field(() => [ApiTokenScopeValue])
  scopes: ApiTokenScope[];

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  lastUsedAt: Date | null;

  @Field(() => Date, { nullable: true })
  revokedAt: Date | null;
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => String, {
    description: 'Use as "Authorization: Bearer <token>". Shown this once; store it now.',
  })
  token: string;

  @Field(() => ApiToken)
  apiToken: ApiToken;
}
