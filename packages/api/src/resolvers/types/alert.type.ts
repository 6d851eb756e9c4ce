import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { FailureCategory } from '@mail-providers/mailer-core';
import { ALERT_CODES, type AlertCode } from '../../alerts/alert-text';
import type { AlertKind } from '../../entities/alert-event.entity';
import { PageInfo } from './page-info.type';
import { FailureCategoryEnum } from './provider.enums';
import { Failure } from './provider.results';

export const AlertKindEnum = {
  CIRCUIT_OPENED: 'CIRCUIT_OPENED',
  CIRCUIT_CLOSED: 'CIRCUIT_CLOSED',
  FALLBACK_USED: 'FALLBACK_USED',
  OAUTH_REVOKED: 'OAUTH_REVOKED',
  WEBHOOK_DISABLED: 'WEBHOOK_DISABLED',
} as const satisfies Record<AlertKind, AlertKind>;

registerEnumType(AlertKindEnum, {
  name: 'AlertKind',
  description:
    'CIRCUIT_OPENED: a provider is skipped after failing; CIRCUIT_CLOSED: it delivers again; FALLBACK_USED: mail went out through a later provider because the first one failed; OAUTH_REVOKED: a provider’s OAuth2 sign-in was refused (revoked or expired) and it must be reconnected; WEBHOOK_DISABLED: a webhook endpoint was disabled after failing for too long (providerId and providerName are the endpoint’s).',
});

@ObjectType({ description: 'The facts an alert’s message is made of, for clients that word it themselves.' })
export class AlertParams {
  @Field(() => String, { description: 'The provider the alert is about, as it was named then.' })
  providerName: string;

  @Field(() => String, {
    nullable: true,
    description: 'The provider that delivered instead (FALLBACK_USED).',
  })
  deliveredByName?: string | null;

  @Field(() => FailureCategoryEnum, {
    nullable: true,
    description: 'The last failure’s category; null when the provider was skipped rather than tried.',
  })
  category?: FailureCategory | null;

  @Field(() => Int, { nullable: true, description: 'Failures in a row that opened the circuit.' })
  failures?: number | null;

  @Field(() => Int, { nullable: true })
  smtpCode?: number | null;

  @Field(() => String, { nullable: true })
  enhancedCode?: string | null;

  @Field(() => Int, { nullable: true })
  httpStatus?: number | null;
}

@ObjectType({
  description: 'Something an operator should hear about; repeats during one outage only count occurrences.',
})
export class AlertEvent {
  @Field(() => ID)
  id: string;

  @Field(() => AlertKindEnum)
  kind: AlertKind;

  @Field(() => String, { description: `What the alert says: ${ALERT_CODES.join(', ')}.` })
  code: AlertCode;

  @Field(() => AlertParams)
  params: AlertParams;

  @Field(() => ID)
  providerId: string;

  @Field(() => String)
  providerName: string;

  @Field(() => String, {
    description: 'The alert in one sentence, in the reader’s language, made from code and params.',
  })
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
    description:
      'Deprecated: always null for new alerts. Alerts raised while ALERT_WEBHOOK_URL received them directly keep "sent" or "failed: <reason>"; provider events now reach webhook endpoints, whose attempts webhookDeliveries lists.',
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
