import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { AlertKind } from '../../entities/alert-event.entity';
import { PageInfo } from './page-info.type';
import { Failure } from './provider.results';

export const AlertKindEnum = {
  CIRCUIT_OPENED: 'CIRCUIT_OPENED',
  CIRCUIT_CLOSED: 'CIRCUIT_CLOSED',
  FALLBACK_USED: 'FALLBACK_USED',
} as const satisfies Record<AlertKind, AlertKind>;

registerEnumType(AlertKindEnum, {
  name: 'AlertKind',
  description:
    'CIRCUIT_OPENED: a provider is skipped after failing; CIRCUIT_CLOSED: it delivers again; FALLBACK_USED: mail went out through a later provider because the first one failed.',
});

@ObjectType({
  description: 'Something an operator should hear about; repeats during one outage only count occurrences.',
})
export class AlertEvent {
  @Field(() => ID)
  id: string;

  @Field(() => AlertKindEnum)
  kind: AlertKind;

  @Field(() => ID)
  providerId: string;

  @Field(() => String)
  providerName: string;

  @Field(() => String)
  message: string;

  @Field(() => Failure, { nullable: true })
  failure: Failure | null;

  @Field(() => Int, { description: 'How often it happened during this episode.' })
  occurrences: number;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => Date)
  lastSeenAt: Date;

  @Field(() => Date, { nullable: true, description: 'When the episode ended; null while it goes on.' })
  resolvedAt: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Webhook delivery: "sent", "failed: <reason>", or null when no webhook is set.',
  })
  webhookStatus: string | null;
}

@ObjectType()
export class AlertConnection {
  @Field(() => [AlertEvent])
  nodes: AlertEvent[];

  @Field(() => Int)
  totalCount: number;

  @Field(() => PageInfo)
  pageInfo: PageInfo;
}
