import type { Channel } from '@mail-providers/mailer-core';
import { Field, InputType } from 'type-graphql';
import type { EmailInputData } from '../../services/email-input-validation';
import { ChannelEnum } from './provider.enums';

@InputType({ description: 'A message to send. From is the delivering provider’s From Email and From Name.' })
export class EmailInput implements EmailInputData {
  @Field(() => [String], { description: 'Addresses: name@example.com or Name <name@example.com>.' })
  to: string[];

  @Field(() => [String], { nullable: true })
  cc?: string[] | null;

  @Field(() => [String], { nullable: true })
  bcc?: string[] | null;

  @Field(() => String, { nullable: true })
  replyTo?: string | null;

  @Field(() => String)
  subject: string;

  @Field(() => String, { nullable: true })
  text?: string | null;

  @Field(() => String, { nullable: true })
  html?: string | null;

  @Field(() => ChannelEnum, { nullable: true, description: 'Default DEFAULT.' })
  channel?: Channel | null;

  @Field(() => String, {
    nullable: true,
    description:
      'Repeating a request with the same key returns the first delivery instead of sending again. Keys are per caller (API token or user).',
  })
  idempotencyKey?: string | null;
}
