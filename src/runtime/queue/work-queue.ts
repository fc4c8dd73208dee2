/**
 * A rate-limited, delaying priority work queue of keys (client-go's workqueue semantics, ordered
 * as controller-runtime's priority queue):
 * - items are handed out highest priority first, and in the order they were added within one
 *   priority (controllers add the replay of the initial list with `LOW_PRIORITY`, so changes made
 *   while they run come first);
 * - an item already waiting is not added twice; added again with a higher priority, it moves up;
 * - an item being processed is never handed to a second worker; re-added meanwhile, it is
 *   handed out again after `done`;
 * - `addAfter` keeps the earliest ready time when an item is delayed twice;
 * - `addRateLimited` waits as long as the rate limiter says; `forget` resets its backoff;
 * - after `shutdown`, nothing is accepted and `get` resolves `undefined` at once.
 */
import { PriorityHeap } from './priority-heap.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiter.js';

/** The priority of ordinary adds. */
export const NORMAL_PRIORITY = 0;
/** controller-runtime's `handler.LowPriority`: adds from an initial list or a resync. */
export const LOW_PRIORITY = -100;

/** Observations the metrics layer turns into `workqueue_*` series. */
export interface WorkQueueHooks {
  onAdd?(): void;
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
  /** Items waiting to be handed out, with their priority. */
  private readonly ready = new PriorityHeap<T>();
  /** Items re-added while a worker holds them, with their priority: queued again on `done`. */
  private readonly readdedWhileProcessing = new Map<T, number>();
  /** When each waiting or re-added item was first added (for the time-in-queue observation). */
  private readonly addedAt = new Map<T, number>();
  private readonly processing = new Map<T, { startedAt: number; priority: number }>();
  private readonly waiting = new Map<T, { readyAt: number; priority: number }>();
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Infinity;
  private readonly getters: ((item: T | undefined) => void)[] = [];
  private stopped = false;

  constructor(options: WorkQueueOptions<T> = {}) {
    this.rateLimiter = options.rateLimiter ?? defaultControllerRateLimiter<T>();
    this.hooks = options.hooks ?? {};
  }

  /** Marks `item` as needing processing; an item already waiting moves up if `priority` is higher. */
  add(item: T, priority = NORMAL_PRIORITY): void {
    if (this.stopped) return;
    if (this.processing.has(item)) {
      const readded = this.readdedWhileProcessing.get(item);
      if (readded === undefined) this.firstAdd(item);
      if (readded === undefined || priority > readded) this.readdedWhileProcessing.set(item, priority);
      return;
    }
    if (!this.ready.push(item, priority)) return;
    this.firstAdd(item);
    this.handToWaitingWorker();
  }

  /**
   * Adds `item` after `delayMs`; if it is already waiting for an earlier time, that time stays
   * (and the higher of the two priorities).
   */
  addAfter(item: T, delayMs: number, priority = NORMAL_PRIORITY): void {
    if (this.stopped) return;
    if (delayMs <= 0) {
      this.add(item, priority);
      return;
    }
    const readyAt = Date.now() + delayMs;
    const existing = this.waiting.get(item);
    const merged = Math.max(priority, existing?.priority ?? priority);
    if (existing !== undefined && existing.readyAt <= readyAt) {
      existing.priority = merged;
      return;
    }
    this.waiting.set(item, { readyAt, priority: merged });
    this.schedule(readyAt);
  }

  /** Adds `item` after the delay its rate limiter grants (one more failure counted). */
  addRateLimited(item: T, priority = NORMAL_PRIORITY): void {
    if (this.stopped) return;
    this.hooks.onRetry?.();
    this.addAfter(item, this.rateLimiter.when(item), priority);
  }

  /** The priority `item` was handed out with, while a worker holds it. */
  priorityOf(item: T): number | undefined {
    return this.processing.get(item)?.priority;
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
    const held = this.processing.get(item);
    if (held === undefined) return;
    this.processing.delete(item);
    this.hooks.onDone?.((Date.now() - held.startedAt) / 1000);
    const priority = this.readdedWhileProcessing.get(item);
    if (priority === undefined || this.stopped) return;
    this.readdedWhileProcessing.delete(item);
    this.ready.push(item, priority);
    this.handToWaitingWorker();
  }

  /** Stops intake: adds are ignored, pending `get`s resolve `undefined`, queued items are dropped. */
  shutdown(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.waiting.clear();
    this.ready.clear();
    this.readdedWhileProcessing.clear();
    this.addedAt.clear();
    for (const resolve of this.getters.splice(0)) resolve(undefined);
  }

  get shuttingDown(): boolean {
    return this.stopped;
  }

  /** Items ready to be handed out. */
  len(): number {
    return this.ready.size;
  }

  /** Items held by workers right now. */
  inFlight(): number {
    return this.processing.size;
  }

  /** Start times (ms since epoch) of the items held by workers. */
  processingStartTimes(): number[] {
    return [...this.processing.values()].map((held) => held.startedAt);
  }

  private firstAdd(item: T): void {
    this.hooks.onAdd?.();
    this.addedAt.set(item, Date.now());
  }

  private handToWaitingWorker(): void {
    const resolve = this.getters.shift();
    if (resolve) resolve(this.take());
  }

  private take(): T | undefined {
    const next = this.ready.pop();
    if (!next) return undefined;
    const { item, priority } = next;
    const now = Date.now();
    this.processing.set(item, { startedAt: now, priority });
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
    for (const [item, { readyAt, priority }] of this.waiting) {
      if (readyAt <= now) {
        this.waiting.delete(item);
        this.add(item, priority);
      } else if (readyAt < next) {
        next = readyAt;
      }
    }
    if (next !== Infinity) this.schedule(next);
  }
}
