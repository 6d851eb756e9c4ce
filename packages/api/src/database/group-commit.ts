/**
 * What one commit makes of its items: a result for each item, in order, or an Error for an item that the
 * commit refused on its own (the others still succeed).
 */
export type CommitOutcomes<Result> = Array<Result | Error>;

export interface GroupCommitOptions<Item> {
  /** The most weight (e.g. messages) one commit takes; an item heavier than this is committed alone. */
  maxWeight: number;
  /** An item's weight; 1 when left out. */
  weight?: (item: Item) => number;
}

interface Waiting<Item, Result> {
  item: Item;
  resolve: (result: Result) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: items submitted while a commit is running are written together by the next one, so at high
 * rates one transaction carries many callers' writes, and at low rates an item waits for nothing but its own
 * commit. Every caller still learns the fate of its own item, and only after the commit that holds it ended.
 *
 * When a commit of several items throws, each of them is committed again alone: one item's problem fails
 * that item only.
 */
export class GroupCommit<Item, Result> {
  private waiting: Array<Waiting<Item, Result>> = [];
  private running = false;

  constructor(
    private readonly commit: (items: Item[]) => Promise<CommitOutcomes<Result>>,
    private readonly options: GroupCommitOptions<Item>,
  ) {}

  submit(item: Item): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      // Let the callers of this turn of the event loop join the first commit too.
      if (!this.running) {
        this.running = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const group = this.takeGroup();
      try {
        await this.commitGroup(group);
      } catch (error) {
        if (group.length === 1) group[0]?.reject(error);
        // Alone, one by one: the callers of items that are fine still get their answer.
        else for (const entry of group) await this.commitGroup([entry]).catch(entry.reject);
      }
    }
    this.running = false;
  }

  private takeGroup(): Array<Waiting<Item, Result>> {
    const weightOf = this.options.weight ?? (() => 1);
    let weight = 0;
    let count = 0;
    for (const entry of this.waiting) {
      const next = weightOf(entry.item);
      if (count > 0 && weight + next > this.options.maxWeight) break;
      weight += next;
      count++;
    }
    return this.waiting.splice(0, count);
  }

  private async commitGroup(group: Array<Waiting<Item, Result>>): Promise<void> {
    const outcomes = await this.commit(group.map((entry) => entry.item));
    if (outcomes.length !== group.length) {
      throw new Error(`A group commit returned ${outcomes.length} outcomes for ${group.length} items.`);
    }
    outcomes.forEach((outcome, index) => {
      const entry = group[index];
      if (outcome instanceof Error) entry?.reject(outcome);
      else entry?.resolve(outcome);
    });
  }
}
