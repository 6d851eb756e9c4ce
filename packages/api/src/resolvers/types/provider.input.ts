import { Field, InputType, Int } from 'type-graphql';
import type {
  ApiVendor,
  Encryption,
  ProviderStatus,
  ProviderType,
  ServiceType,
} from '@mail-providers/mailer-core';
import { STORED_PASSWORD_RULE } from '../../services/provider-validation';
import {
  ApiVendorEnum,
  EncryptionEnum,
  ProviderStatusEnum,
  ProviderTypeEnum,
  ServiceTypeEnum,
} from './provider.enums';

/*
 * Deliberately loose types (plain String/Int): the rules of SPEC §2 are checked in provider-validation.ts so
 * that one answer names every bad field with advice, instead of GraphQL stopping at the first bad scalar.
 */
@InputType({
  description: `The Add/Edit form of a provider. On update, ${STORED_PASSWORD_RULE}.`,
})
export class ProviderInput {
  @Field(() => ProviderTypeEnum)
  type: ProviderType;

  @Field(() => String)
  name: string;

  @Field(() => ApiVendorEnum, { nullable: true })
  apiVendor?: ApiVendor | null;

  @Field(() => String)
  host: string;

  @Field(() => Int)
  port: number;

  @Field(() => String)
  username: string;

  @Field(() => String, {
    nullable: true,
    description: `Required on create. On update, ${STORED_PASSWORD_RULE}; after a change to any of them, enter it again.`,
  })
  password?: string | null;

  @Field(() => EncryptionEnum)
  encryption: Encryption;

  @Field(() => String)
  fromEmail: string;

  @Field(() => String)
  fromName: string;

  @Field(() => ServiceTypeEnum)
  serviceType: ServiceType;

  @Field(() => ProviderStatusEnum, {
    nullable: true,
    description: 'Default INACTIVE on create; omitted on update keeps the current status.',
  })
  status?: ProviderStatus | null;
}
