import type { ApiVendor } from '@mail-providers/mailer-core';
import type { SignedRequest } from '@mail-providers/mailer-core/test-support';
import type { TestServer } from '../support/test-server';

/** Posts a request to the server's vendor webhook route, as the vendor would. */
export async function postWebhook(
  server: Pick<TestServer, 'url'>,
  vendor: ApiVendor | string,
  providerId: string,
  request: SignedRequest,
): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}/webhooks/${vendor}/${providerId}`, {
    method: 'POST',
    headers: request.headers,
    body: request.body,
  });
  return { status: response.status, text: await response.text() };
}

export interface EventRow {
  type: string;
  recipient: string | null;
  provider_id: string | null;
  payload: Record<string, unknown>;
}

/** The vendor-reported events of a delivery, oldest first. */
export async function vendorReportedEvents(
  server: Pick<TestServer, 'db'>,
  deliveryId: string,
): Promise<EventRow[]> {
  const { rows } = await server.db.query<EventRow>(
    `SELECT type, recipient, provider_id, payload FROM events
      WHERE delivery_id = $1 AND type IN ('DELIVERY_DELIVERED', 'DELIVERY_BOUNCED', 'DELIVERY_COMPLAINED')
      ORDER BY seq`,
    [deliveryId],
  );
  return rows;
}

export async function countRows(
  server: Pick<TestServer, 'db'>,
  table: 'vendor_events' | 'events' | 'suppressions',
): Promise<number> {
  const { rows } = await server.db.query<{ count: string }>(`SELECT count(*)::text AS count FROM ${table}`);
  return Number(rows[0]?.count ?? 0);
}
