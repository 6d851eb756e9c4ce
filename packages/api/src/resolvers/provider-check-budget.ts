import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';
import { BadUserInputError } from '../errors';

/**
 * Fields that may connect to a provider: each verifies or tests one (or a channel's chain). Saving a
 * provider as ACTIVE, or activating an unverified one, verifies it in the same request, so those count too.
 */
const PROVIDER_CHECKS = new Set([
  'verifyProvider',
  'verifyProviderSettings',
  'sendTestEmail',
  'createProvider',
  'updateProvider',
  'setProviderStatus',
]);

/** How many of them one operation may hold: enough for a screen of providers, too few to scan a network. */
export const MAX_PROVIDER_CHECKS_PER_OPERATION = 5;

const counted = new WeakMap<object, number>();

/**
 * Refuses an operation that would verify or test more providers than {@link MAX_PROVIDER_CHECKS_PER_OPERATION}
 * (aliases make one request carry any number). Every such field calls this before connecting, so an operation
 * over the limit connects nowhere.
 */
export function assertProviderCheckBudget(info: GraphQLResolveInfo): void {
  let count = counted.get(info.operation);
  if (count === undefined) {
    count = checksIn(info.operation.selectionSet, info, new Set());
    counted.set(info.operation, count);
  }
  if (count <= MAX_PROVIDER_CHECKS_PER_OPERATION) return;
  throw new BadUserInputError(
    [],
    `One request may verify or test at most ${MAX_PROVIDER_CHECKS_PER_OPERATION} providers and this one asks for ${count}; send the rest in further requests.`,
  );
}

/** The provider checks among the operation's root fields, through its fragments. */
function checksIn(selectionSet: SelectionSetNode, info: GraphQLResolveInfo, seen: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === 'Field') {
      if (PROVIDER_CHECKS.has(selection.name.value)) count += 1;
    } else if (selection.kind === 'InlineFragment') {
      count += checksIn(selection.selectionSet, info, seen);
    } else {
      const name = selection.name.value;
      const fragment = info.fragments[name];
      if (fragment === undefined || seen.has(name)) continue;
      // A fragment spread twice is merged into one set of fields by the executor.
      seen.add(name);
      count += checksIn(fragment.selectionSet, info, seen);
    }
  }
  return count;
}
