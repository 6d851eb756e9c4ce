import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export const UserRoleValue = { ADMIN: 'ADMIN', VIEWER: 'VIEWER' } as const;
registerEnumType(UserRoleValue, {
  name: 'UserRole',
  description: 'ADMIN may do everything; VIEWER may only read.',
});

@ObjectType({ description: 'A person who signs in to the panel.' })
export class User {
  @Field(() => ID)
  id: string;

  @Field(() => String)
  email: string;

  @Field(() => String, { description: 'ADMIN or VIEWER.' })
  role: string;

  @Field(() => String, { description: 'Language of the panel and of emails sent for this user: en or tr.' })
  locale: string;

  @Field(() => Date)
  createdAt: Date;
}
