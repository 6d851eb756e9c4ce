// Pure rules for reordering the provider list: rows move within their section (a channel's primaries or
// fallbacks) or into the other section of their channel, which changes their service type.

import type { Channel, ServiceType } from '../graphql/types';
import { CHANNELS, TIERS } from './chain';

export interface Placed {
  id: string;
  channel: Channel;
  serviceType: ServiceType;
}

/** A keyboard move within a section. */
export type MoveTarget = 'up' | 'down' | 'top' | 'bottom';

/** What the API is sent for one gesture: the complete order and the service types that changed. */
export interface OrderChange {
  ids: string[];
  serviceTypes: { id: string; serviceType: ServiceType }[];
}

function sectionRank(item: Placed): number {
  return CHANNELS.indexOf(item.channel) * TIERS.length + TIERS.indexOf(item.serviceType);
}

/** The list in section order (default primaries, default fallbacks, CRM primaries, CRM fallbacks), stable within each. */
export function bySection<P extends Placed>(list: readonly P[]): P[] {
  return list
    .map((item, index) => ({ item, index }))
    .sort((a, b) => sectionRank(a.item) - sectionRank(b.item) || a.index - b.index)
    .map(({ item }) => item);
}

function sameSection(a: Placed, b: Placed): boolean {
  return a.channel === b.channel && a.serviceType === b.serviceType;
}

/**
 * `id` placed at `index` among the providers of its channel's `serviceType` section (counted without it);
 * the index is clamped to the section. Unknown ids leave the list as it was.
 */
export function placeInSection<P extends Placed>(
  list: readonly P[],
  id: string,
  serviceType: ServiceType,
  index: number,
): P[] {
  const sorted = bySection(list);
  const item = sorted.find((candidate) => candidate.id === id);
  if (!item) return sorted;
  const moved: P = item.serviceType === serviceType ? item : { ...item, serviceType };
  const others = sorted.filter((candidate) => candidate.id !== id);
  const section = others.filter((candidate) => sameSection(candidate, moved));
  const at = Math.max(0, Math.min(index, section.length));
  const before = section[at];
  if (before) {
    const position = others.indexOf(before);
    return [...others.slice(0, position), moved, ...others.slice(position)];
  }
  // Last of its section: after the section's last row, or where the section would start.
  const after = others.filter((candidate) => sectionRank(candidate) <= sectionRank(moved)).length;
  return [...others.slice(0, after), moved, ...others.slice(after)];
}

/** The row's index within its section, or -1. */
export function indexInSection(list: readonly Placed[], id: string): number {
  const item = list.find((candidate) => candidate.id === id);
  if (!item) return -1;
  return bySection(list)
    .filter((candidate) => sameSection(candidate, item))
    .indexOf(item);
}

export function sectionSize(list: readonly Placed[], channel: Channel, serviceType: ServiceType): number {
  return list.filter((item) => item.channel === channel && item.serviceType === serviceType).length;
}

/** A keyboard move: one step, or to either end of the section, in one action. */
export function moveInSection<P extends Placed>(list: readonly P[], id: string, target: MoveTarget): P[] {
  const item = list.find((candidate) => candidate.id === id);
  if (!item) return bySection(list);
  const index = indexInSection(list, id);
  const last = sectionSize(list, item.channel, item.serviceType) - 1;
  const to = { up: index - 1, down: index + 1, top: 0, bottom: last }[target];
  return placeInSection(list, id, item.serviceType, Math.max(0, to));
}

/**
 * The explicit tier change: a primary becomes the first fallback, a fallback the last primary, so the
 * provider moves as little as possible in the order mail walks.
 */
export function switchTier<P extends Placed>(list: readonly P[], id: string): P[] {
  const item = list.find((candidate) => candidate.id === id);
  if (!item) return bySection(list);
  if (item.serviceType === 'PRIMARY') return placeInSection(list, id, 'FALLBACK', 0);
  return placeInSection(list, id, 'PRIMARY', sectionSize(list, item.channel, 'PRIMARY'));
}

/** Whether `move` can go anywhere from the row's place (the first row cannot go up, and so on). */
export function canMove(list: readonly Placed[], id: string, target: MoveTarget): boolean {
  const item = list.find((candidate) => candidate.id === id);
  if (!item) return false;
  const index = indexInSection(list, id);
  const last = sectionSize(list, item.channel, item.serviceType) - 1;
  return target === 'up' || target === 'top' ? index > 0 : index < last;
}

/** The single save for going from `saved` to `next`: every id in order, and each changed service type. */
export function orderChange(saved: readonly Placed[], next: readonly Placed[]): OrderChange {
  const before = new Map(saved.map((item) => [item.id, item.serviceType]));
  return {
    ids: next.map((item) => item.id),
    serviceTypes: next
      .filter((item) => before.get(item.id) !== item.serviceType)
      .map(({ id, serviceType }) => ({ id, serviceType })),
  };
}

export function sameOrder(a: readonly Placed[], b: readonly Placed[]): boolean {
  return (
    a.length === b.length &&
    a.every((item, index) => item.id === b[index]?.id && item.serviceType === b[index]?.serviceType)
  );
}
