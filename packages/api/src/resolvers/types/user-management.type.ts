import { Field, ID, Int, ObjectType } from 'type-graphql';
import { User } from './user.type';

const ONE_TIME_PASSWORD =
  'Shown this once and stored only as a hash: hand it to the user, who must choose their own at sign-in.';

@ObjectType({
  description:
    'The user just created, with its fields at the top level as well as under `user`, and the one-time password when none was given.',
})
export class UserCreated extends User {
  @Field(() => User)
  user: User;

  @Field(() => String, {
    nullable: true,
    description: `Null when a password was given. ${ONE_TIME_PASSWORD}`,
  })
  oneTimePassword: string | null;
}

@ObjectType({ description: 'A password reset: the user, their one-time password, and the sessions ended.' })
export class UserPasswordReset {
  @Field(() => User)
  user: User;

  @Field(() => String, { description: ONE_TIME_PASSWORD })
  oneTimePassword: string;

  @Field(() => Int)
  sessionsEnded: number;
}

@ObjectType({ description: 'A removed user, the sessions ended and the API tokens they created, revoked.' })
export class UserRemoved {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => Int)
  sessionsEnded: number;

  @Field(() => Int, { description: 'Live API tokens the user had created, now revoked.' })
  apiTokensRevoked: number;
}
