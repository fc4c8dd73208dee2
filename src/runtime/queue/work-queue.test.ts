import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BucketRateLimiter, defaultControllerRateLimiter, ItemExponentialFailureRateLimiter } from './rate-limiter.js';
import { LOW_PRIORITY, WorkQueue } from './work-queue.js';

/** Resolves with the next item if one is handed out before pending microtasks settle, else 'pending'. */
async function poll<T>(promise: Promise<T>): Promise<T | 'pending'> {
  return Promise.race([promise, new Promise<'pending'>((resolve) => setImmediate(() => resolve('pending')))]);
}

describe('WorkQueue', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('hands out an item added twice only once', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('a');
    queue.add('b');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(await poll(queue.get())).toBe('pending');
  });

  it('never hands a key being processed to a second worker and runs it again after done', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    const first = await queue.get();
    queue.add('a');
    const second = queue.get();
    expect(await poll(second)).toBe('pending');
    queue.done(first!);
    expect(await second).toBe('a');
  });

  it('wakes a waiting worker when an item arrives', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.add('x');
    expect(await waiting).toBe('x');
  });

  it('hands out higher priorities first, in insertion order within a priority', async () => {
    const queue = new WorkQueue();
    for (const item of ['i1', 'i2', 'i3']) queue.add(item, LOW_PRIORITY);
    queue.add('changed');
    queue.add('i3');
    expect(queue.len()).toBe(4);
    const order = [];
    for (let i = 0; i < 4; i++) order.push(await queue.get());
    expect(order).toEqual(['changed', 'i3', 'i1', 'i2']);
    expect(queue.priorityOf('i1')).toBe(LOW_PRIORITY);
    expect(queue.priorityOf('changed')).toBe(0);
  });

  it('does not lower the priority of a waiting item, and re-queues a re-added item with its priority after done', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    queue.add('b', LOW_PRIORITY);
    queue.add('a', LOW_PRIORITY);
    expect(await queue.get()).toBe('a');
    queue.add('a', LOW_PRIORITY);
    queue.add('c');
    queue.done('a');
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['c', 'b', 'a']);
  });

  it('keeps the earliest time when an item is delayed twice', async () => {
    const queue = new WorkQueue();
    queue.addAfter('a', 1000);
    queue.addAfter('a', 50);
    queue.addAfter('a', 5000);
    vi.advanceTimersByTime(49);
    expect(queue.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    vi.advanceTimersByTime(10_000);
    expect(queue.len()).toBe(0);
  });

  it('backs off exponentially per key and resets when the key is forgotten', () => {
    const limiter = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
    expect([1, 2, 3, 4, 5].map(() => limiter.when('a'))).toEqual([5, 10, 20, 40, 80]);
    expect(limiter.when('b')).toBe(5);
    expect(limiter.numRequeues('a')).toBe(5);
    limiter.forget('a');
    expect(limiter.when('a')).toBe(5);
    for (let i = 0; i < 40; i++) limiter.when('c');
    expect(limiter.when('c')).toBe(1_000_000);
  });

  it('re-adds a rate-limited item only after its backoff', async () => {
    const queue = new WorkQueue({ rateLimiter: new ItemExponentialFailureRateLimiter<string>(100, 1000) });
    queue.addRateLimited('a');
    vi.advanceTimersByTime(99);
    expect(queue.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(await queue.get()).toBe('a');
    queue.done('a');
    queue.addRateLimited('a');
    vi.advanceTimersByTime(199);
    expect(queue.len()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(queue.len()).toBe(1);
  });

  it('stops intake on shutdown and releases waiting workers', async () => {
    const queue = new WorkQueue();
    const waiting = queue.get();
    queue.addAfter('late', 10);
    queue.shutdown();
    expect(await waiting).toBeUndefined();
    queue.add('b');
    vi.advanceTimersByTime(100);
    expect(queue.len()).toBe(0);
    expect(await queue.get()).toBeUndefined();
  });

  it('reports adds, retries and time spent queued and in work', async () => {
    const seen = { adds: 0, queued: [] as number[], work: [] as number[], retries: 0 };
    const queue = new WorkQueue({
      hooks: {
        onAdd: () => seen.adds++,
        onGet: (s) => seen.queued.push(s),
        onDone: (s) => seen.work.push(s),
        onRetry: () => seen.retries++,
      },
    });
    queue.add('a');
    vi.advanceTimersByTime(2000);
    const item = await queue.get();
    vi.advanceTimersByTime(500);
    expect(queue.processingStartTimes()).toHaveLength(1);
    queue.done(item!);
    queue.addRateLimited('a');
    expect(seen).toEqual({ adds: 1, queued: [2], work: [0.5], retries: 1 });
  });

  it('counts an add once per hand-out, however often and with whatever priority the item is added meanwhile', async () => {
    let adds = 0;
    const queued: number[] = [];
    const queue = new WorkQueue({ hooks: { onAdd: () => adds++, onGet: (s) => queued.push(s) } });
    queue.add('a', LOW_PRIORITY);
    queue.add('a');
    queue.add('a', LOW_PRIORITY);
    expect(adds).toBe(1);
    expect(await queue.get()).toBe('a');
    vi.advanceTimersByTime(100);
    queue.add('a', LOW_PRIORITY);
    queue.add('a');
    vi.advanceTimersByTime(300);
    expect(adds).toBe(2);
    expect(queue.len()).toBe(0);
    queue.done('a');
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('a');
    expect(queue.priorityOf('a')).toBe(0);
    expect(queued).toEqual([0, 0.3]);
    queue.done('a');
    expect([queue.len(), queue.inFlight(), adds]).toEqual([0, 0, 2]);
  });

  it('hands an item re-added while held out again with the highest priority it was re-added with', async () => {
    const queue = new WorkQueue();
    queue.add('a');
    expect(await queue.get()).toBe('a');
    queue.add('a');
    queue.add('a', LOW_PRIORITY);
    queue.add('b', -50);
    queue.done('a');
    expect(await queue.get()).toBe('a');
    expect(queue.priorityOf('a')).toBe(0);
    queue.add('c', LOW_PRIORITY);
    queue.add('a', LOW_PRIORITY);
    queue.done('a');
    expect([await queue.get(), await queue.get(), await queue.get()]).toEqual(['b', 'c', 'a']);
    expect(queue.priorityOf('a')).toBe(LOW_PRIORITY);
  });

  it('lets a burst through, then spaces retries of all keys at the bucket rate', () => {
    const bucket = new BucketRateLimiter<string>(10, 3);
    expect(['a', 'b', 'c'].map((k) => bucket.when(k))).toEqual([0, 0, 0]);
    expect(bucket.when('d')).toBe(100);
    expect(bucket.when('e')).toBe(200);
    vi.advanceTimersByTime(1000);
    expect(bucket.when('f')).toBe(0);
  });

  it('defaults to the slower of per-key backoff and the overall bucket', () => {
    const limiter = defaultControllerRateLimiter<string>();
    expect(limiter.when('a')).toBe(5);
    expect(limiter.when('a')).toBe(10);
    for (let i = 0; i < 98; i++) limiter.when(`k${i}`);
    expect(limiter.when('fresh')).toBe(100);
    limiter.forget('a');
    expect(limiter.numRequeues('a')).toBe(0);
  });
});
