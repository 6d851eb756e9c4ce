import { Field, ID, InputType } from 'type-graphql';
import type { ProviderStatus, ServiceType } from '@mail-providers/mailer-core';
import { STORED_PASSWORD_RULE } from '../../services/provider-validation';
import type { AuthMethod } from '../../oauth/auth-method';
import { AuthMethodEnum } from './oauth.enums';
import { OAuthSettingsInput } from './oauth.input';
import { ProviderSettingsFields } from './provider-settings.fields';
import { ProviderStatusEnum, ServiceTypeEnum } from './provider.enums';

@InputType({
  description: `The Add/Edit form of a provider. On update, ${STORED_PASSWORD_RULE}.`,
})
export class ProviderInput extends ProviderSettingsFields {
  @Field(() => String, {
    nullable: true,
    description: `Required on create, except for an SMTP relay that needs no login: leave username and password both empty. On update, ${STORED_PASSWORD_RULE}; after a change to any of them, enter it again.`,
  })
  password?: string | null;

  @Field(() => String, {
    nullable: true,
    description:
      "Write-only: the secret the vendor's delivery-event webhook is verified with (Mailgun: the HTTP webhook signing key; SendGrid: the signed Event Webhook's verification key; Resend: the whsec_… signing secret; ZeptoMail: the webhook authentication key; Postmark, Brevo, SparkPost: the password of the webhook's Basic credentials or its bearer token). Omitted or empty keeps the stored one.",
  })
  webhookSecret?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'True removes the stored webhook secret: the vendor webhook is refused until a new one is set.',
  })
  clearWebhookSecret?: boolean | null;

  @Field(() => ProviderStatusEnum, {
    nullable: true,
    description: 'Default INACTIVE on create; omitted on update keeps the current status.',
  })
  status?: ProviderStatus | null;

  @Field(() => AuthMethodEnum, {
    nullable: true,
    description:
      'Omitted: OAUTH2 when oauth is given, else (on update) the stored OAUTH2, else PASSWORD with a username and NONE without one.',
  })
  authMethod?: AuthMethod | null;

  @Field(() => OAuthSettingsInput, {
    nullable: true,
    description: 'The app registration; required with authMethod OAUTH2 and refused with the others.',
  })
  oauth?: OAuthSettingsInput | null;
}

@InputType({ description: 'A provider’s new tier, saved together with a new order by reorderProviders.' })
export class ProviderServiceTypeInput {
  @Field(() => ID)
  id: string;

  @Field(() => ServiceTypeEnum)
  serviceType: ServiceType;
}
