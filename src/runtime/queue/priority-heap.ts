/**
 * The ready items of a work queue, ordered as controller-runtime's priority queue orders them:
 * higher priority first, and among equal priorities the one added first. A binary heap; an item
 * whose priority is raised gets a new entry and its old one is skipped when it surfaces.
 */
interface Entry<T> {
  item: T;
  priority: number;
  seq: number;
}

export class PriorityHeap<T> {
  private readonly heap: Entry<T>[] = [];
  /** The current entry of every queued item; an older entry of it is skipped when it surfaces. */
  private readonly live = new Map<T, Entry<T>>();
  private nextSeq = 0;

  get size(): number {
    return this.live.size;
  }

  /**
   * Queues `item` and returns true, or, for an item already queued, returns false: it keeps its
   * place, or moves up if `priority` is higher.
   */
  push(item: T, priority: number): boolean {
    const current = this.live.get(item);
    if (current && current.priority >= priority) return false;
    const entry = { item, priority, seq: this.nextSeq++ };
    this.live.set(item, entry);
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    return current === undefined;
  }

  /** Removes and returns the first item, with the priority it was queued with. */
  pop(): { item: T; priority: number } | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0];
      const last = this.heap.pop()!;
      if (this.heap.length > 0) {
        this.heap[0] = last;
        this.down(0);
      }
      if (this.live.get(top.item) === top) {
        this.live.delete(top.item);
        return { item: top.item, priority: top.priority };
      }
    }
    return undefined;
  }

  clear(): void {
    this.heap.length = 0;
    this.live.clear();
  }

  private before(a: Entry<T>, b: Entry<T>): boolean {
    return a.priority !== b.priority ? a.priority > b.priority : a.seq < b.seq;
  }

  private up(index: number): void {
    const heap = this.heap;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.before(heap[index], heap[parent])) return;
      [heap[index], heap[parent]] = [heap[parent], heap[index]];
      index = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * index + 1;
      const right = left + 1;
      let first = index;
      if (left < heap.length && this.before(heap[left], heap[first])) first = left;
      if (right < heap.length && this.before(heap[right], heap[first])) first = right;
      if (first === index) return;
      [heap[index], heap[first]] = [heap[first], heap[index]];
      index = first;
    }
  }
}
