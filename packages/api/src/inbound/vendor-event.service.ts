import {
  CURSOR_PART,
  cursorPage,
  decodeCursor,
  encodeCursor,
  type CursorPage,
} from '../database/cursor-page';
import { isEventType, type EventType } from '../events/event-types';
import { dataSourceExecutor } from '../queue/sql-executor';
import type { ServiceContainer } from '../service-container';
import { toStoredVendorEvent, unmatchedVendorEvents, type StoredVendorEvent } from './vendor-event-store';

export type ListedVendorEvent = Omit<StoredVendorEvent, 'eventType'> & { eventType: EventType | null };

/** Reads the stored vendor events for the API. */
export class VendorEventService {
  constructor(private readonly services: ServiceContainer) {}

  /** Events that matched no delivery, newest first. */
  async unmatched(first: number, after: string | null): Promise<CursorPage<ListedVendorEvent>> {
    const afterSeq = decodeCursor(after, [CURSOR_PART.seq])?.[0] ?? null;
    const { rows, totalCount } = await unmatchedVendorEvents(
      dataSourceExecutor(this.services.dataSource),
      first,
      afterSeq,
    );
    return cursorPage(rows, {
      first,
      totalCount,
      toNode: (row) => {
        const stored = toStoredVendorEvent(row);
        return {
          ...stored,
          eventType: stored.eventType && isEventType(stored.eventType) ? stored.eventType : null,
        };
      },
      cursorOf: (row) => encodeCursor([row.seq]),
    });
  }
}
