import {
  API_VENDORS,
  eventVendorOf,
  VENDOR_WEBHOOKS,
  VendorPayloadError,
  type ApiVendor,
  type VendorEvent,
  type WebhookRefusal,
  type WebhookRequest,
} from '@mail-providers/mailer-core';
import { appendEvents } from '../events/event-log';
import type { NewEvent } from '../events/event-types';
import { inTransaction, type SqlExecutor } from '../queue/sql-executor';
import type { ServiceContainer } from '../service-container';
import { addSuppressions, defaultScope } from '../suppressions/suppression-store';
import {
  findDelivery,
  rememberSignedRequest,
  storeVendorEvent,
  type MatchedDelivery,
} from './vendor-event-store';
import { openWebhookSecret } from './webhook-secret';

/** Where API vendors post delivery events: `/webhooks/<vendor in lower case>/<provider id>`. */
export const VENDOR_WEBHOOK_PREFIX = '/webhooks';

export function inboundWebhookPath(vendor: ApiVendor, providerId: string): string {
  return `${VENDOR_WEBHOOK_PREFIX}/${vendor}/${providerId}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why a request was refused with 401, as logged: the vendor's refusals, a missing secret, or a replay. */
export type InboundRefusal = WebhookRefusal | 'replayed';

/** What became of one webhook request. */
export type InboundOutcome =
  | { status: 'not_found' }
  | { status: 'refused'; refusal: InboundRefusal }
  | { status: 'malformed'; problem: string }
  | { status: 'accepted'; events: number; applied: number; duplicates: number; unmatched: number };

/** What the log says about each refusal; never a secret, a signature or a body. */
const REFUSAL_LOG: Record<InboundRefusal, string> = {
  no_secret:
    'a vendor webhook was refused: the provider has no webhook secret; set one in its settings (the vendor retries meanwhile)',
  missing_signature: 'a vendor webhook was refused: it carries no signature or credentials',
  bad_signature: 'a vendor webhook was refused: its signature or credentials do not match the webhook secret',
  stale_timestamp: 'a vendor webhook was refused: its signed timestamp is more than 5 minutes from now',
  unusable_secret: "a vendor webhook was refused: the stored webhook secret is not in the vendor's form",
  replayed: 'a vendor webhook was refused: the same signed request was received before (a replay)',
};

function isApiVendor(value: string): value is ApiVendor {
  return (API_VENDORS as readonly string[]).includes(value);
}

/**
 * Receives the delivery events API vendors post to `/webhooks/{vendor}/{providerId}`: checks the
 * request the vendor's way, then, in one transaction, refuses a replayed signed request, stores every
 * event once (a vendor's retry of an event is a duplicate, recognised by its id), and for events matched
 * to a delivery appends the delivery event and, for hard bounces and complaints, suppresses the
 * recipient. Unmatched events are stored and listed, never dropped.
 */
export class InboundWebhookService {
  constructor(private readonly services: ServiceContainer) {}

  async receive(vendorSegment: string, providerId: string, request: WebhookRequest): Promise<InboundOutcome> {
    if (!isApiVendor(vendorSegment) || !UUID.test(providerId)) return { status: 'not_found' };
    const vendor = vendorSegment;
    const provider = await this.provider(providerId);
    if (!provider) return { status: 'not_found' };
    const apiVendor =
      provider.api_vendor !== null && isApiVendor(provider.api_vendor) ? provider.api_vendor : null;
    // A provider of another vendor, or a plain SMTP server, has no webhook here.
    if (eventVendorOf({ apiVendor, host: provider.host }) !== vendor) return { status: 'not_found' };
    const log = this.services.logger.child({ vendor, providerId });

    const secret = openWebhookSecret(
      {
        id: providerId,
        webhookSecretCiphertext: provider.webhook_secret_ciphertext,
        webhookSecretKeyId: provider.webhook_secret_key_id,
      },
      this.services.secretBox,
    );
    const webhook = VENDOR_WEBHOOKS[vendor];
    let events: VendorEvent[];
    let replayKey: string | null;
    try {
      const verdict =
        secret === null
          ? ({ ok: false, refusal: 'no_secret' } as const)
          : webhook.verify(request, secret, new Date());
      if (!verdict.ok) {
        log.warn({ refusal: verdict.refusal }, REFUSAL_LOG[verdict.refusal]);
        return { status: 'refused', refusal: verdict.refusal };
      }
      replayKey = verdict.replayKey;
      events = webhook.parse(request);
    } catch (error) {
      if (!(error instanceof VendorPayloadError)) throw error;
      log.warn(
        { problem: error.message },
        'a vendor webhook was refused: its body is not the vendor’s format',
      );
      return { status: 'malformed', problem: error.message };
    }

    const outcome = await inTransaction(this.services.dataSource, async (sql) => {
      if (replayKey !== null && !(await rememberSignedRequest(sql, providerId, replayKey))) return null;
      const counts = { events: events.length, applied: 0, duplicates: 0, unmatched: 0 };
      for (const event of events) {
        const delivery = await findDelivery(sql, event);
        const storedId = await storeVendorEvent(sql, providerId, event, delivery?.id ?? null);
        if (storedId === null) counts.duplicates++;
        else if (!delivery) counts.unmatched++;
        else if (await applyEvent(sql, providerId, event, delivery)) counts.applied++;
      }
      return counts;
    });
    if (!outcome) {
      log.warn({ refusal: 'replayed' }, REFUSAL_LOG.replayed);
      return { status: 'refused', refusal: 'replayed' };
    }
    log.info(outcome, 'received vendor delivery events');
    return { status: 'accepted', ...outcome };
  }

  private async provider(id: string): Promise<ProviderRow | null> {
    const rows: unknown = await this.services.dataSource.query(
      `SELECT api_vendor, host, webhook_secret_ciphertext, webhook_secret_key_id FROM providers WHERE id = $1`,
      [id],
    );
    const row: unknown = Array.isArray(rows) ? rows[0] : undefined;
    return isProviderRow(row) ? row : null;
  }
}

interface ProviderRow {
  api_vendor: string | null;
  host: string;
  webhook_secret_ciphertext: string | null;
  webhook_secret_key_id: string | null;
}

function isProviderRow(row: unknown): row is ProviderRow {
  return (
    typeof row === 'object' &&
    row !== null &&
    'api_vendor' in row &&
    'host' in row &&
    'webhook_secret_ciphertext' in row
  );
}

/**
 * The delivery event a matched vendor event means, and the suppression a hard bounce or a complaint
 * causes (its source event being the new delivery event). Returns whether anything was appended.
 */
async function applyEvent(
  sql: SqlExecutor,
  providerId: string,
  event: VendorEvent,
  delivery: MatchedDelivery,
): Promise<boolean> {
  const outcome = event.outcome;
  if (!outcome) return false;
  const vendor = event.vendor;
  const base = {
    deliveryId: delivery.id,
    recipient: event.recipient,
    providerId,
    ...(event.occurredAt ? { occurredAt: event.occurredAt } : {}),
  };
  let newEvent: NewEvent;
  if (outcome.eventType === 'DELIVERY_BOUNCED') {
    const payload = { vendor, providerId, bounceType: outcome.bounceType, reason: event.reason };
    newEvent = { type: 'DELIVERY_BOUNCED', payload, ...base };
  } else if (outcome.eventType === 'DELIVERY_COMPLAINED') {
    newEvent = { type: 'DELIVERY_COMPLAINED', payload: { vendor, providerId }, ...base };
  } else {
    newEvent = { type: 'DELIVERY_DELIVERED', payload: { vendor, providerId }, ...base };
  }
  const [stored] = await appendEvents(sql, [newEvent]);
  const source =
    outcome.eventType === 'DELIVERY_COMPLAINED'
      ? 'COMPLAINT'
      : outcome.eventType === 'DELIVERY_BOUNCED' && outcome.bounceType === 'HARD'
        ? 'HARD_BOUNCE'
        : null;
  if (source && event.recipient && stored) {
    await addSuppressions(sql, [
      {
        email: event.recipient,
        scope: defaultScope(source, delivery.channel),
        source,
        reason: event.reason,
        sourceEventId: stored.id,
      },
    ]);
  }
  return true;
}
