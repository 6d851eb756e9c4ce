import { nextTick, ref } from 'vue';
import { useReorder } from '../../src/composables/useReorder';
import { moveItem, sameOrder } from '../../src/lib/reorder';

describe('moveItem', () => {
  it.each([
    [['a', 'b', 'c'], 0, 1, ['b', 'a', 'c']],
    [['a', 'b', 'c'], 2, 0, ['c', 'a', 'b']],
    [['a', 'b', 'c'], 0, 2, ['b', 'c', 'a']],
    [['a', 'b', 'c'], 1, 1, ['a', 'b', 'c']],
    [['a', 'b', 'c'], 0, -1, ['a', 'b', 'c']],
    [['a', 'b', 'c'], 2, 3, ['a', 'b', 'c']],
    [[], 0, 0, []],
  ])('moveItem(%j, %i, %i) is %j', (list, from, to, expected) => {
    const before = [...list];
    expect(moveItem(list, from, to)).toEqual(expected);
    expect(list).toEqual(before);
  });

  it('compares orders by id', () => {
    expect(sameOrder([{ id: '1' }, { id: '2' }], [{ id: '1' }, { id: '2' }])).toBe(true);
    expect(sameOrder([{ id: '1' }, { id: '2' }], [{ id: '2' }, { id: '1' }])).toBe(false);
    expect(sameOrder([{ id: '1' }], [{ id: '1' }, { id: '2' }])).toBe(false);
  });
});

describe('useReorder', () => {
  const providers = () => [
    { id: 'p1', name: 'primary' },
    { id: 'p2', name: 'fallback' },
    { id: 'p3', name: 'spare' },
  ];

  it('moves at once, saves the complete order and reports the new position', async () => {
    const saved: string[][] = [];
    const moved: string[] = [];
    const source = ref(providers());
    const { order, move } = useReorder(
      source,
      async (ids) => {
        saved.push(ids);
      },
      ({ item, position }) => moved.push(`${item.name}@${position}`),
    );

    await expect(move(0, 1)).resolves.toBe(true);
    expect(order.value.map((item) => item.id)).toEqual(['p2', 'p1', 'p3']);
    expect(saved).toEqual([['p2', 'p1', 'p3']]);
    expect(moved).toEqual(['primary@2']);
  });

  it('puts the previous order back and keeps the reason when the API refuses', async () => {
    const source = ref(providers());
    const refusal = Object.assign(new Error('refused'), {
      graphQLErrors: [
        { message: 'The order must list every provider once.', extensions: { code: 'BAD_USER_INPUT' } },
      ],
    });
    const { order, move, problem, saving } = useReorder(source, () => Promise.reject(refusal));

    const pending = move(2, -1);
    expect(order.value.map((item) => item.id)).toEqual(['p1', 'p3', 'p2']);
    expect(saving.value).toBe(true);
    await expect(pending).resolves.toBe(false);
    expect(order.value.map((item) => item.id)).toEqual(['p1', 'p2', 'p3']);
    expect(problem.value).toMatchObject({
      code: 'BAD_USER_INPUT',
      message: 'The order must list every provider once.',
    });
    expect(saving.value).toBe(false);
  });

  it('treats a drop (the list already moved by the drag library) the same way', async () => {
    const source = ref(providers());
    const saved: string[][] = [];
    const { order, dropped } = useReorder(source, async (ids) => {
      saved.push(ids);
      throw new Error('network down');
    });
    // What the drag-and-drop library does before it reports the move.
    order.value = moveItem(order.value, 0, 2);
    await expect(dropped(0, 2)).resolves.toBe(false);
    expect(saved).toEqual([['p2', 'p3', 'p1']]);
    expect(order.value.map((item) => item.id)).toEqual(['p1', 'p2', 'p3']);
  });

  it('does nothing for moves past either end', async () => {
    const saved: string[][] = [];
    const { move } = useReorder(ref(providers()), async (ids) => {
      saved.push(ids);
    });
    await move(0, -1);
    await move(2, 1);
    expect(saved).toEqual([]);
  });

  it('refuses a second move while one is being saved', async () => {
    let release: () => void = () => {};
    const { move, order } = useReorder(
      ref(providers()),
      () =>
        new Promise<void>((resolve) => {
          release = resolve;
        }),
    );
    const first = move(0, 1);
    await expect(move(1, 1)).resolves.toBe(false);
    release();
    await expect(first).resolves.toBe(true);
    expect(order.value.map((item) => item.id)).toEqual(['p2', 'p1', 'p3']);
  });

  it('follows fresh data from the API when idle', async () => {
    const source = ref(providers());
    const { order } = useReorder(source, async () => {});
    source.value = [...providers()].reverse();
    await nextTick();
    expect(order.value.map((item) => item.id)).toEqual(['p3', 'p2', 'p1']);
  });
});
