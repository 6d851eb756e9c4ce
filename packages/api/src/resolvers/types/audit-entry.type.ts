import { Field, ID, Int, ObjectType } from 'type-graphql';
import { PageInfo } from './page-info.type';

@ObjectType({ description: 'One change: who, when, what, and the names of the fields it touched.' })
export class AuditEntry {
  @Field(() => ID)
  id: string;

  @Field(() => Date)
  at: Date;

  @Field(() => String, {
    description: '"user:<email>", "token:<name>", "system" or "cli" (the server\'s command line).',
  })
  actor: string;

  @Field(() => String, { description: 'e.g. provider.create, provider.update, user.create.' })
  action: string;

  @Field(() => String)
  entityType: string;

  @Field(() => ID, { nullable: true })
  entityId: string | null;

  @Field(() => [String], { description: 'Names of the changed fields; never their values.' })
  fields: string[];
}

@ObjectType()
export class AuditEntryConnection {
  @Field(() => [AuditEntry])
  nodes: AuditEntry[];

  @Field(() => Int)
  totalCount: number;

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
