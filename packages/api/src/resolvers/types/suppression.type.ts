import type { Channel } from '@mail-providers/mailer-core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { SuppressionSource } from '../../suppressions/suppression-store';
import { PageInfo } from './page-info.type';
import { ChannelEnum } from './provider.enums';

export const SuppressionSourceEnum = {
  HARD_BOUNCE: 'HARD_BOUNCE',
  COMPLAINT: 'COMPLAINT',
  MANUAL: 'MANUAL',
  IMPORT: 'IMPORT',
} as const satisfies Record<SuppressionSource, SuppressionSource>;

registerEnumType(SuppressionSourceEnum, {
  name: 'SuppressionSource',
  description:
    'HARD_BOUNCE: the vendor reported that the address does not exist; COMPLAINT: the recipient marked mail as spam; MANUAL: added by an admin; IMPORT: from a CSV import.',
});

@ObjectType({ description: 'An address no mail goes to: all mail, or one channel’s.' })
export class Suppression {
  @Field(() => String, { description: 'In lower case; addresses are compared without regard to case.' })
  email: string;

  @Field(() => ChannelEnum, {
    nullable: true,
    description: 'null: all mail; DEFAULT or CRM: only that channel’s mail.',
  })
  channel: Channel | null;

  @Field(() => SuppressionSourceEnum)
  source: SuppressionSource;

  @Field(() => String, {
    nullable: true,
    description: 'Why, in words: the vendor’s diagnostic or the admin’s note.',
  })
  reason: string | null;

  @Field(() => ID, {
    nullable: true,
    description: 'The delivery whose bounce or complaint caused the entry, when known.',
  })
  deliveryId: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Who added it (MANUAL, IMPORT): the user’s email, or token:<name> for an API token.',
  })
  createdBy: string | null;

  @Field(() => Date)
  createdAt: Date;
}

@ObjectType()
export class SuppressionConnection {
  @Field(() => [Suppression])
  nodes: Suppression[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}

@ObjectType({ description: 'A line of an import that was not taken, and why.' })
export class SuppressionImportError {
  @Field(() => Int, { description: 'The line in the CSV text, counting from 1 (0: the whole text).' })
  line: number;

  @Field(() => String)
  message: string;
}

@ObjectType()
export class SuppressionImportResult {
  @Field(() => Int, { description: 'New entries.' })
  added: number;

  @Field(() => Int, { description: 'Good lines whose address was already listed for the same channel.' })
  alreadyListed: number;

  @Field(() => [SuppressionImportError])
  errors: SuppressionImportError[];
}
