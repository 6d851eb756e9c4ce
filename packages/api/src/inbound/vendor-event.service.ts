import { cursorPage, type CursorPage } from '../database/cursor-page';
import { BadUserInputError } from '../errors';
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
    const afterSeq = decodeCursor(after);
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
      cursorOf: (row) => Buffer.from(`vendor-event:${row.seq}`).toString('base64url'),
    });
  }
}

function decodeCursor(cursor: string | null): string | null {
  if (!cursor) return null;
  const decoded = /^vendor-event:(\d{1,19})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!decoded?.[1]) {
    throw new BadUserInputError([
      { field: 'after', message: 'Use the endCursor of a previous page as "after".' },
    ]);
  }
  return decoded[1];
}
