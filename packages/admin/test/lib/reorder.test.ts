import { effectScope, nextTick, ref } from 'vue';
import { useReorder } from '../../src/composables/useReorder';
import {
  bySection,
  canMove,
  moveInSection,
  orderChange,
  placeInSection,
  switchTier,
  type MoveTarget,
  type Placed,
} from '../../src/lib/reorder';

/** "dP1" is a default primary, "dF1" a default fallback, "cP1" a CRM primary, "cF1" a CRM fallback. */
function item(id: string): Placed {
  return {
    id,
    channel: id.startsWith('c') ? 'CRM' : 'DEFAULT',
    serviceType: id[1] === 'P' ? 'PRIMARY' : 'FALLBACK',
  };
}
const list = (...ids: string[]) => ids.map(item);
const ids = (placed: readonly Placed[]) => placed.map((entry) => entry.id);
/** The list as ids with each one's tier after a colon, for moves that change tiers. */
const tiers = (placed: readonly Placed[]) => placed.map((entry) => `${entry.id}:${entry.serviceType[0]}`);

const CHAIN = list('dP1', 'dP2', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1');

describe('bySection', () => {
  it('puts default primaries, default fallbacks, CRM primaries, CRM fallbacks in that order, stable within each', () => {
    expect(ids(bySection(list('cF1', 'dF1', 'cP1', 'dP2', 'dP1', 'dF2')))).toEqual([
      'dP2',
      'dP1',
      'dF1',
      'dF2',
      'cP1',
      'cF1',
    ]);
  });
});

describe('moveInSection', () => {
  it.each<[string, MoveTarget, string[]]>([
    ['dP2', 'up', ['dP2', 'dP1', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['dP2', 'down', ['dP1', 'dP3', 'dP2', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['dP3', 'top', ['dP3', 'dP1', 'dP2', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['dP1', 'bottom', ['dP2', 'dP3', 'dP1', 'dF1', 'dF2', 'cP1', 'cF1']],
    // A section's edge stops the row: it never slips into the other tier or channel.
    ['dP1', 'up', ['dP1', 'dP2', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['dP3', 'down', ['dP1', 'dP2', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['dF1', 'up', ['dP1', 'dP2', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['dF2', 'down', ['dP1', 'dP2', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['cP1', 'up', ['dP1', 'dP2', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1']],
    ['dF2', 'top', ['dP1', 'dP2', 'dP3', 'dF2', 'dF1', 'cP1', 'cF1']],
    ['missing', 'up', ['dP1', 'dP2', 'dP3', 'dF1', 'dF2', 'cP1', 'cF1']],
  ])('%s %s gives %j', (id, target, expected) => {
    const before = ids(CHAIN);
    expect(ids(moveInSection(CHAIN, id, target))).toEqual(expected);
    expect(ids(CHAIN)).toEqual(before);
  });

  it.each<[string, MoveTarget, boolean]>([
    ['dP1', 'up', false],
    ['dP1', 'top', false],
    ['dP1', 'down', true],
    ['dP3', 'down', false],
    ['dP3', 'bottom', false],
    ['dP3', 'top', true],
    ['dF1', 'up', false],
    ['cP1', 'down', false],
    ['cP1', 'up', false],
  ])('canMove(%s, %s) is %s', (id, target, expected) => {
    expect(canMove(CHAIN, id, target)).toBe(expected);
  });
});

describe('placeInSection (drops)', () => {
  it.each<[string, 'PRIMARY' | 'FALLBACK', number, string[]]>([
    // Within the section.
    ['dP3', 'PRIMARY', 0, ['dP3:P', 'dP1:P', 'dP2:P', 'dF1:F', 'dF2:F', 'cP1:P', 'cF1:F']],
    // Into the other section of the channel: the tier changes.
    ['dP1', 'FALLBACK', 1, ['dP2:P', 'dP3:P', 'dF1:F', 'dP1:F', 'dF2:F', 'cP1:P', 'cF1:F']],
    ['dF2', 'PRIMARY', 3, ['dP1:P', 'dP2:P', 'dP3:P', 'dF2:P', 'dF1:F', 'cP1:P', 'cF1:F']],
    ['dF1', 'PRIMARY', 0, ['dF1:P', 'dP1:P', 'dP2:P', 'dP3:P', 'dF2:F', 'cP1:P', 'cF1:F']],
    // Past the end is the end; into an empty section works.
    ['cF1', 'PRIMARY', 9, ['dP1:P', 'dP2:P', 'dP3:P', 'dF1:F', 'dF2:F', 'cP1:P', 'cF1:P']],
    ['cP1', 'FALLBACK', 0, ['dP1:P', 'dP2:P', 'dP3:P', 'dF1:F', 'dF2:F', 'cP1:F', 'cF1:F']],
  ])('%s into %s at %i gives %j', (id, serviceType, index, expected) => {
    expect(tiers(placeInSection(CHAIN, id, serviceType, index))).toEqual(expected);
  });

  it('places the last row of a section into an empty section at the right spot', () => {
    const twoPrimaries = list('dP1', 'dP2', 'cP1');
    expect(tiers(placeInSection(twoPrimaries, 'dP2', 'FALLBACK', 0))).toEqual(['dP1:P', 'dP2:F', 'cP1:P']);
  });
});

describe('switchTier', () => {
  it.each([
    ['dP2', ['dP1:P', 'dP3:P', 'dP2:F', 'dF1:F', 'dF2:F', 'cP1:P', 'cF1:F']],
    ['dF2', ['dP1:P', 'dP2:P', 'dP3:P', 'dF2:P', 'dF1:F', 'cP1:P', 'cF1:F']],
    ['cF1', ['dP1:P', 'dP2:P', 'dP3:P', 'dF1:F', 'dF2:F', 'cP1:P', 'cF1:P']],
  ])('%s: a primary becomes the first fallback, a fallback the last primary (%j)', (id, expected) => {
    expect(tiers(switchTier(CHAIN, id))).toEqual(expected);
  });
});

describe('orderChange', () => {
  it('sends every id in order and only the changed service types', () => {
    const next = switchTier(moveInSection(CHAIN, 'dP3', 'top'), 'dF1');
    expect(orderChange(CHAIN, next)).toEqual({
      ids: ['dP3', 'dP1', 'dP2', 'dF1', 'dF2', 'cP1', 'cF1'],
      serviceTypes: [{ id: 'dF1', serviceType: 'PRIMARY' }],
    });
  });
});

describe('useReorder', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function setup(commit: (change: ReturnType<typeof orderChange>) => Promise<void>) {
    const source = ref(list('dP1', 'dP2', 'dP3', 'dF1'));
    const scope = effectScope();
    const reorder = scope.run(() => useReorder(source, commit, 500));
    if (!reorder) throw new Error('no scope');
    return { source, reorder, scope };
  }

  it('shows each step at once and saves quick keyboard steps as one change', async () => {
    const saved: string[][] = [];
    const { reorder } = setup(async (change) => {
      saved.push(change.ids);
    });
    reorder.change(moveInSection(reorder.order.value, 'dP3', 'up'), 'soon');
    reorder.change(moveInSection(reorder.order.value, 'dP3', 'up'), 'soon');
    expect(ids(reorder.order.value)).toEqual(['dP3', 'dP1', 'dP2', 'dF1']);
    expect(reorder.saving.value).toBe(true);
    expect(saved).toEqual([]);
    await jest.advanceTimersByTimeAsync(500);
    expect(saved).toEqual([['dP3', 'dP1', 'dP2', 'dF1']]);
    expect(reorder.saving.value).toBe(false);
  });

  it('saves a drop at once, and a move made while a save runs right after it', async () => {
    const saved: string[][] = [];
    let release: () => void = () => {};
    const { reorder } = setup(
      (change) =>
        new Promise<void>((resolve) => {
          saved.push(change.ids);
          release = resolve;
        }),
    );
    reorder.change(placeInSection(reorder.order.value, 'dP3', 'PRIMARY', 0), 'now');
    expect(saved).toHaveLength(1);
    reorder.change(switchTier(reorder.order.value, 'dF1'), 'now');
    expect(saved).toHaveLength(1);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(saved).toEqual([
      ['dP3', 'dP1', 'dP2', 'dF1'],
      ['dP3', 'dP1', 'dP2', 'dF1'],
    ]);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(reorder.saving.value).toBe(false);
  });

  it('puts back the order the API last accepted when a save is refused', async () => {
    const { reorder } = setup(() => Promise.reject(new Error('refused')));
    reorder.change(moveInSection(reorder.order.value, 'dP1', 'bottom'), 'now');
    expect(ids(reorder.order.value)).toEqual(['dP2', 'dP3', 'dP1', 'dF1']);
    await jest.advanceTimersByTimeAsync(0);
    expect(ids(reorder.order.value)).toEqual(['dP1', 'dP2', 'dP3', 'dF1']);
    expect(reorder.problem.value?.message).toBe('refused');
  });

  it('takes fresh data from the API unless moves wait for a save', async () => {
    const { reorder, source } = setup(async () => {});
    source.value = list('dP2', 'dP1', 'dP3', 'dF1');
    await nextTick();
    expect(ids(reorder.order.value)).toEqual(['dP2', 'dP1', 'dP3', 'dF1']);
    reorder.change(moveInSection(reorder.order.value, 'dP3', 'top'), 'soon');
    source.value = list('dP1', 'dP2', 'dP3', 'dF1');
    await nextTick();
    expect(ids(reorder.order.value)).toEqual(['dP3', 'dP2', 'dP1', 'dF1']);
  });

  it('saves unsaved steps when the list goes away', async () => {
    const saved: string[][] = [];
    const { reorder, scope } = setup(async (change) => {
      saved.push(change.ids);
    });
    reorder.change(moveInSection(reorder.order.value, 'dF1', 'top'), 'soon');
    reorder.change(moveInSection(reorder.order.value, 'dP2', 'down'), 'soon');
    scope.stop();
    await jest.advanceTimersByTimeAsync(0);
    expect(saved).toEqual([['dP1', 'dP3', 'dP2', 'dF1']]);
  });
});
