/**
 * A rate-limited, delaying work queue of keys (client-go's workqueue semantics):
 * - an item already waiting is not added twice;
 * - an item being processed is never handed to a second worker; re-added meanwhile, it is
 *   handed out again after `done`;
 * - `addAfter` keeps the earliest ready time when an item is delayed twice;
 * - `addRateLimited` waits as long as the rate limiter says; `forget` resets its backoff;
 * - after `shutdown`, nothing is accepted and `get` resolves `undefined` at once.
 */
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/** Observations the metrics layer turns into `workqueue_*` series. */
export interface WorkQueueHooks {
  onAdd?(): void;
  onDepth?(depth: number): void;
  /** Seconds the item waited in the queue before a worker took it. */
  onGet?(queuedSeconds: number): void;
  /** Seconds a worker held the item. */
  onDone?(workSeconds: number): void;
  onRetry?(): void;
}

export interface WorkQueueOptions<T> {
  rateLimiter?: RateLimiter<T>;
  hooks?: WorkQueueHooks;
}

export class WorkQueue<T = string> {
  private readonly rateLimiter: RateLimiter<T>;
  private readonly hooks: WorkQueueHooks;
  private ready: T[] = [];
  private head = 0;
  private readonly dirty = new Set<T>();
  private readonly addedAt = new Map<T, number>();
  private readonly processing = new Map<T, number>();
  private readonly waiting = new Map<T, number>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private readonly getters: ((item: T | undefined) => void)[] = [];
  private stopped = false;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>();
    this.hooks = options.hooks ?? {};
  }

  /** Marks `item` as needing processing. */
  add(item: T): void {
    if (this.stopped || this.dirty.has(item)) return;
    this.hooks.onAdd?.();
    this.dirty.add(item);
    this.addedAt.set(item, Date.now());
    if (this.processing.has(item)) return;
    this.enqueue(item);
  }

  /** Adds `item` after `delayMs`; if it is already waiting for an earlier time, that time stays. */
  addAfter(item: T, delayMs: number): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      this.add(item);
      return;
    }
    const readyAt = Date.now() + delayMs;
    const existing = this.waiting.get(item);
    if (existing !== undefined && existing <= readyAt) return;
    this.waiting.set(item, readyAt);
    this.schedule(readyAt);
  }

  /** Adds `item` after the delay its rate limiter grants (one more failure counted). */
  addRateLimited(item: T): void {
    if (this.stopped) return;
    this.hooks.onRetry?.();
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** The item succeeded: its backoff starts over. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  /** The next item to process, waiting for one; `undefined` once the queue is shut down. */
  get(): Promise<T | undefined> {
    if (this.stopped) return Promise.resolve(undefined);
    const item = this.take();
    if (item !== undefined) return Promise.resolve(item);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker finished `item`; if it was re-added meanwhile it becomes ready again. */
  done(item: T): void {
    const started = this.processing.get(item);
    if (started === undefined) return;
    this.processing.delete(item);
    this.hooks.onDone?.((Date.now() - started) / 1000);
    if (this.dirty.has(item) && !this.stopped) this.enqueue(item);
  }

  /** Stops intake: adds are ignored, pending `get`s resolve `undefined`, queued items are dropped. */
  shutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  get shuttingDown(): boolean {
    return this.stopped;
  }

  /** Items ready to be handed out. */
  len(): number {
    return this.ready.length - this.head;
  }

  /** Items held by workers right now. */
  inFlight(): number {
    return this.processing.size;
  }

  /** Start times (ms since epoch) of the items held by workers. */
  processingStartTimes(): number[] {
    return [...this.processing.values()];
  }

  private enqueue(item: T): void {
    const resolve = this.getters.shift();
    if (resolve) {
      this.ready.push(item);
      resolve(this.take());
      return;
    }
    this.ready.push(item);
    this.hooks.onDepth?.(this.len());
  }

  private take(): T | undefined {
    if (this.head >= this.ready.length) return undefined;
    const item = this.ready[this.head++];
    if (this.head > 1024 && this.head * 2 > this.ready.length) {
      this.ready = this.ready.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    const now = Date.now();
    this.processing.set(item, now);
    this.hooks.onDepth?.(this.len());
    this.hooks.onGet?.((now - (this.addedAt.get(item) ?? now)) / 1000);
    this.addedAt.delete(item);
    return item;
  }

  private schedule(readyAt: number): void {
    if (readyAt >= this.timerAt) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = readyAt;
    this.timer = setTimeout(() => this.fire(), Math.max(0, readyAt - Date.now()));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [item, readyAt] of this.waiting) {
      if (readyAt <= now) {
        this.waiting.delete(item);
        this.add(item);
      } else if (readyAt < next) {
        next = readyAt;
      }
    }
    if (next !== Infinity) this.schedule(next);
  }
}
