import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Settings an administrator changes at run time.' })
export class Settings {
  @Field(() => Int, {
    description:
      'Days finished deliveries and resolved alerts are kept before the purge deletes them: the value set with setDeliveryRetention, or the default.',
  })
  deliveryRetentionDays: number;

  @Field(() => Int, { description: 'The retention when none is set: DELIVERY_RETENTION_DAYS, or 30.' })
  defaultDeliveryRetentionDays: number;
}
