import { Field, InputType, Int, ObjectType } from 'type-graphql';
import type { ApiVendor, Encryption, ProviderType, ServiceType } from '@mail-providers/mailer-core';
import { ApiVendorEnum, EncryptionEnum, ProviderTypeEnum, ServiceTypeEnum } from './provider.enums';

/**
 * The settings a provider is read with and written with, in one place so `Provider` and `ProviderInput`
 * cannot drift apart. Only a base: it is never a type of the schema by itself (nothing refers to it), and
 * the password (write-only) and status (optional on input) are declared by each side.
 *
 * Deliberately loose types (plain String/Int): the provider rules are checked in provider-validation.ts so
 * that one answer names every bad field with advice, instead of GraphQL stopping at the first bad scalar.
 */
@ObjectType('ProviderSettingsFields')
@InputType('ProviderSettingsFieldsInput')
export class ProviderSettingsFields {
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

  @Field(() => EncryptionEnum)
  encryption: Encryption;

  @Field(() => String)
  fromEmail: string;

  @Field(() => String)
  fromName: string;

  @Field(() => ServiceTypeEnum)
  serviceType: ServiceType;
}
