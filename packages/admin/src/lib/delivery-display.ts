// What the log shows for a delivery wherever it appears: table row, card or detail page.

import type { Delivery } from '../graphql/types';

/** The provider that accepted the message, by the name it had then if it is gone; '—' before that. */
export function deliveredByName(delivery: Pick<Delivery, 'deliveredBy' | 'deliveredByProviderName'>): string {
  return delivery.deliveredBy?.name ?? delivery.deliveredByProviderName ?? '—';
}
