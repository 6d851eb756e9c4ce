import { Field, InputType } from 'type-graphql';
import { UserRoleValue } from './user.type';

@InputType()
export class CreateUserInput {
  @Field(() => String)
  email: string;

  @Field(() => String, {
    nullable: true,
    description:
      'At least 8 characters; stored only as an argon2id hash. Leave out to have a one-time password generated, which the user must replace at first sign-in.',
  })
  password?: string | null;

  @Field(() => UserRoleValue)
  role: (typeof UserRoleValue)[keyof typeof UserRoleValue];

  @Field(() => String, { nullable: true, description: 'en (default) or tr.' })
  locale?: string | null;
}
