import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { EventType } from '../../events/event-types';
import type { WebhookFormat } from '../../webhooks/webhook-validation';
import { EventTypeEnum } from './event-type.enum';
import { PageInfo } from './page-info.type';

export const WebhookFormatEnum = {
  STANDARD: 'STANDARD',
  SLACK: 'SLACK',
  EMAIL: 'EMAIL',
} as const satisfies Record<WebhookFormat, WebhookFormat>;

registerEnumType(WebhookFormatEnum, {
  name: 'WebhookFormat',
  description:
    'STANDARD: signed JSON as Standard Webhooks describes it; SLACK: a short message for a Slack- or Mattermost-compatible incoming webhook; EMAIL: an email to the addresses of a "mailto:" URL, sent through the provider chain.',
});

export const WebhookAttemptStatusEnum = { SUCCEEDED: 'SUCCEEDED', FAILED: 'FAILED' } as const;

registerEnumType(WebhookAttemptStatusEnum, { name: 'WebhookAttemptStatus' });

@ObjectType({ description: 'One attempt to deliver one event (or a test event) to one endpoint.' })
export class WebhookDelivery {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  endpointId: string;

  @Field(() => ID, { nullable: true, description: 'Null for a test event.' })
  eventId: string | null;

  @Field(() => String, { description: 'An EventType value, or "WEBHOOK_TEST".' })
  eventType: string;

  @Field(() => Int, { description: '1 for the first try of that event.' })
  attempt: number;

  @Field(() => WebhookAttemptStatusEnum)
  status: 'SUCCEEDED' | 'FAILED';

  @Field(() => Date)
  attemptedAt: Date;

  @Field(() => Int)
  durationMs: number;

  @Field(() => Int, { nullable: true, description: 'HTTP status; null when no answer came (or for EMAIL).' })
  responseStatus: number | null;

  @Field(() => String, { nullable: true, description: 'The first 200 characters of the answer.' })
  responseBody: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why it failed, in words (no answer in time, refused by the outbound policy, HTTP 500 …).',
  })
  error: string | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the event is tried again; null when it was delivered or given up.',
  })
  nextAttemptAt: Date | null;
}

@ObjectType({ description: 'Where events are sent.' })
export class WebhookEndpoint {
  @Field(() => ID)
  id: string;

  @Field(() => String, { description: 'An http(s) URL, or "mailto:" and addresses for EMAIL.' })
  url: string;

  @Field(() => String, { nullable: true })
  description: string | null;

  @Field(() => [EventTypeEnum])
  eventTypes: EventType[];

  @Field(() => WebhookFormatEnum)
  format: WebhookFormat;

  @Field(() => Boolean)
  enabled: boolean;

  @Field(() => String, { description: '"en" or "tr": the language of SLACK and EMAIL messages.' })
  language: string;

  @Field(() => Date)
  createdAt: Date;

  @Field(() => WebhookDelivery, { nullable: true, description: 'The newest attempt.' })
  lastDelivery?: WebhookDelivery | null;

  @Field(() => Date, {
    nullable: true,
    description: 'The first failure of the current run of failures; null when healthy.',
  })
  failingSince: Date | null;

  @Field(() => String, {
    nullable: true,
    description: 'Why the product disabled it (failing for too long); cleared when it is enabled again.',
  })
  disabledReason: string | null;
}

@ObjectType({ description: 'A new endpoint or a new secret: the only time the signing secret is shown.' })
export class WebhookEndpointCreated {
  @Field(() => WebhookEndpoint)
  endpoint: WebhookEndpoint;

  @Field(() => String, {
    description: '"whsec_…": verifies the webhook-signature header. Shown once; rotate it if lost.',
  })
  signingSecret: string;
}

@ObjectType()
export class WebhookDeliveryConnection {
  @Field(() => [WebhookDelivery])
  nodes: WebhookDelivery[];

  @Field(() => PageInfo)
  pageInfo: PageInfo;

  @Field(() => Int)
  totalCount: number;
}

@InputType()
export class WebhookEndpointInput {
  @Field(() => String)
  url: string;

  @Field(() => [EventTypeEnum])
  eventTypes: EventType[];

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => WebhookFormatEnum, { nullable: true, defaultValue: 'STANDARD' })
  format?: WebhookFormat | null;

  @Field(() => Boolean, { nullable: true, defaultValue: true })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, defaultValue: 'en', description: '"en" or "tr".' })
  language?: string | null;
}

@InputType()
export class WebhookEndpointUpdateInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [EventTypeEnum], { nullable: true })
  eventTypes?: EventType[] | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => WebhookFormatEnum, { nullable: true })
  format?: WebhookFormat | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'Enabling again clears failingSince and disabledReason.',
  })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true })
  language?: string | null;
}
