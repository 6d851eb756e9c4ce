import { Platform1763700000000 } from './1763700000000-platform';
import { Providers1763700100000 } from './1763700100000-providers';
import { Deliveries1763700200000 } from './1763700200000-deliveries';
import { DeliveryKeysPerCaller1763700300000 } from './1763700300000-delivery-keys-per-caller';
import { DeliverySearch1763700400000 } from './1763700400000-delivery-search';
import { DeliveriesAutovacuum1763700500000 } from './1763700500000-deliveries-autovacuum';
import { DeliveryRequestHash1763700800000 } from './1763700800000-delivery-request-hash';
import { UserSignInState1763701000000 } from './1763701000000-user-sign-in-state';
import { CutRoundRecords1763701200000 } from './1763701200000-cut-round-records';
import { DeliveryClaim1763701400000 } from './1763701400000-delivery-claim';
import { AlertCodes1763701600000 } from './1763701600000-alert-codes';
import { DeliveryResend1763701800000 } from './1763701800000-delivery-resend';
import { Settings1763702000000 } from './1763702000000-settings';
import { OAuthConnections1763702200000 } from './1763702200000-oauth-connections';
import { Events1763702400000 } from './1763702400000-events';
import { WebhookEndpoints1763702500000 } from './1763702500000-webhook-endpoints';
import { WebhookDisabledAlert1763702550000 } from './1763702550000-webhook-disabled-alert';
import { SuppressedDeliveries1763702600000 } from './1763702600000-suppressed-deliveries';
import { VendorEvents1763702700000 } from './1763702700000-vendor-events';
import { WebhookWaitingCheck1763702800000 } from './1763702800000-webhook-waiting-check';
import { OAuthRevokedEvent1763702900000 } from './1763702900000-oauth-revoked-event';

/**
 * Every migration, oldest first. Append new migrations at the end; never edit one that has shipped.
 * Timestamps: platform 1763700000000-…, providers 1763700100000-…, durable sending 1763700200000-… and
 * 1763700300000-… to 1763700800000-…, 1763701200000-…, 1763701400000-…; alerts 1763701600000-…; resent deliveries 1763701800000-…; settings 1763702000000-…; OAuth2 1763702200000-…; events and suppressions 1763702400000-… to 1763702900000-….
 */
export const migrations: Array<new () => object> = [
  Platform1763700000000,
  Providers1763700100000,
  Deliveries1763700200000,
  DeliveryKeysPerCaller1763700300000,
  DeliverySearch1763700400000,
  DeliveriesAutovacuum1763700500000,
  DeliveryRequestHash1763700800000,
  UserSignInState1763701000000,
  CutRoundRecords1763701200000,
  DeliveryClaim1763701400000,
  AlertCodes1763701600000,
  DeliveryResend1763701800000,
  Settings1763702000000,
  OAuthConnections1763702200000,
  Events1763702400000,
  WebhookEndpoints1763702500000,
  WebhookDisabledAlert1763702550000,
  SuppressedDeliveries1763702600000,
  VendorEvents1763702700000,
  WebhookWaitingCheck1763702800000,
  OAuthRevokedEvent1763702900000,
];
