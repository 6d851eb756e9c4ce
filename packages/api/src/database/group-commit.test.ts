import { GroupCommit } from './group-commit';

/** A commit that records the groups it was given and can be held open until released. */
function recordingCommit(options: { failWhen?: (items: number[]) => boolean } = {}) {
  const groups: number[][] = [];
  let hold: Promise<void> = Promise.resolve();
  let release: () => void = () => undefined;
  return {
    groups,
    holdNext() {
      hold = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    commit: async (items: number[]) => {
      groups.push([...items]);
      await hold;
      if (options.failWhen?.(items)) throw new Error(`group ${items.join(',')} failed`);
      return items.map((item) => (item < 0 ? new Error(`item ${item} refused`) : item * 10));
    },
  };
}

const settle = (promises: Array<Promise<number>>) =>
  Promise.allSettled(promises).then((results) =>
    results.map((result) =>
      result.status === 'fulfilled' ? result.value : (result.reason as Error).message,
    ),
  );

describe('GroupCommit', () => {
  it('commits a lone item at once and answers with its result', async () => {
    const recorder = recordingCommit();
    const group = new GroupCommit(recorder.commit, { maxWeight: 10 });
    await expect(group.submit(4)).resolves.toBe(40);
    expect(recorder.groups).toEqual([[4]]);
  });

  it('commits the items of one turn together, in the order given', async () => {
    const recorder = recordingCommit();
    const group = new GroupCommit(recorder.commit, { maxWeight: 10 });
    expect(await settle([1, 2, 3].map((item) => group.submit(item)))).toEqual([10, 20, 30]);
    expect(recorder.groups).toEqual([[1, 2, 3]]);
  });

  it('writes the items that arrive during a commit together in the next one', async () => {
    const recorder = recordingCommit();
    const group = new GroupCommit(recorder.commit, { maxWeight: 10 });
    recorder.holdNext();
    const first = group.submit(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [2, 3, 4, 5].map((item) => group.submit(item));
    recorder.release();
    expect(await settle([first, ...later])).toEqual([10, 20, 30, 40, 50]);
    expect(recorder.groups).toEqual([[1], [2, 3, 4, 5]]);
  });

  it.each([
    { items: [1, 1, 1, 1, 1], maxWeight: 2, groups: [[1, 1], [1, 1], [1]] },
    { items: [3, 1, 1], maxWeight: 4, groups: [[3, 1], [1]] },
    { items: [1, 9, 1], maxWeight: 4, groups: [[1], [9], [1]] },
  ])('splits by weight: $items with at most $maxWeight per commit', async ({ items, maxWeight, groups }) => {
    const recorder = recordingCommit();
    const group = new GroupCommit(recorder.commit, { maxWeight, weight: (item) => item });
    await settle(items.map((item) => group.submit(item)));
    expect(recorder.groups).toEqual(groups);
  });

  it('rejects only the item the commit refused', async () => {
    const recorder = recordingCommit();
    const group = new GroupCommit(recorder.commit, { maxWeight: 10 });
    expect(await settle([1, -2, 3].map((item) => group.submit(item)))).toEqual([10, 'item -2 refused', 30]);
  });

  it('commits each item alone after a failed group, so one bad item fails only its caller', async () => {
    const recorder = recordingCommit({ failWhen: (items) => items.includes(7) });
    const group = new GroupCommit(recorder.commit, { maxWeight: 10 });
    expect(await settle([1, 7, 3].map((item) => group.submit(item)))).toEqual([10, 'group 7 failed', 30]);
    expect(recorder.groups).toEqual([[1, 7, 3], [1], [7], [3]]);
  });

  it('keeps working after a failure', async () => {
    const recorder = recordingCommit({ failWhen: (items) => items.includes(7) });
    const group = new GroupCommit(recorder.commit, { maxWeight: 10 });
    await expect(group.submit(7)).rejects.toThrow('group 7 failed');
    await expect(group.submit(2)).resolves.toBe(20);
  });
});
