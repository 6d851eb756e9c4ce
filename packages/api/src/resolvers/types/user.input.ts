import { Field, InputType } from 'type-graphql';
import { UserRoleValue } from './user.type';

@InputType()
export class CreateUserInput {
  @Field(() => String)
  email: string;

  @Field(() => String, { description: 'At least 8 characters; stored only as an argon2id hash.' })
  password: string;

  @Field(() => UserRoleValue)
  role: (typeof UserRoleValue)[keyof typeof UserRoleValue];

  @Field(() => String, { nullable: true, description: 'en (default) or tr.' })
  locale?: string | null;
}
