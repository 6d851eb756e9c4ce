import { ApiTokenEntity } from './api-token.entity';
import { AlertEventEntity } from './alert-event.entity';
import { AuditEntryEntity } from './audit-entry.entity';
import { DeliveryAttemptEntity } from './delivery-attempt.entity';
import { DeliveryEntity } from './delivery.entity';
import { SessionEntity } from './session.entity';
import { UserEntity } from './user.entity';
import { ProviderEntity } from './provider.entity';

/** Every TypeORM entity. Append new entities at the end; do not reorder. */
export const entities: Array<new () => object> = [
  UserEntity,
  SessionEntity,
  ApiTokenEntity,
  AuditEntryEntity,
  DeliveryEntity,
  DeliveryAttemptEntity,
  AlertEventEntity,
  ProviderEntity,
];
