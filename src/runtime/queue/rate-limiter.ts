/**
 * Rate limiters decide how long a failed key waits before its next attempt. The default mirrors
 * controller-runtime: the slower of a per-key exponential backoff (5 ms → 1000 s) and an overall
 * token bucket (10 qps, burst 100) shared by every key of one controller.
 */
export interface RateLimiter<T = string> {
  /** Milliseconds `item` must wait before its next attempt; counts one more failure. */
  when(item: T): number;
  /** Stop tracking `item` (it succeeded): its backoff starts from the base again. */
  forget(item: T): void;
  /** How many failures `item` has had since it was last forgotten. */
  numRequeues(item: T): number;
}

/** Per-item exponential backoff: `baseDelayMs * 2^failures`, capped at `maxDelayMs`. */
export class ItemExponentialFailureRateLimiter<T = string> implements RateLimiter<T> {
  private readonly failures = new Map<T, number>();

  constructor(
    readonly baseDelayMs = 5,
    readonly maxDelayMs = 1_000_000,
  ) {}

  when(item: T): number {
    const count = this.failures.get(item) ?? 0;
    this.failures.set(item, count + 1);
    const delay = this.baseDelayMs * 2 ** count;
    return Number.isFinite(delay) ? Math.min(delay, this.maxDelayMs) : this.maxDelayMs;
  }

  forget(item: T): void {
    this.failures.delete(item);
  }

  numRequeues(item: T): number {
    return this.failures.get(item) ?? 0;
  }
}

/** A token bucket over all items: `qps` tokens a second, at most `burst` saved up. */
export class BucketRateLimiter<T = string> implements RateLimiter<T> {
  private tokens: number;
  private last = Date.now();

  constructor(
    readonly qps = 10,
    readonly burst = 100,
  ) {
    this.tokens = burst;
  }

  when(_item: T): number {
    const now = Date.now();
    this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
    this.last = now;
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : Math.ceil((-this.tokens / this.qps) * 1000);
  }

  forget(_item: T): void {}

  numRequeues(_item: T): number {
    return 0;
  }
}

/** The longest delay any of `limiters` asks for. */
export class MaxOfRateLimiter<T = string> implements RateLimiter<T> {
  private readonly limiters: RateLimiter<T>[];

  constructor(...limiters: RateLimiter<T>[]) {
    this.limiters = limiters;
  }

  when(item: T): number {
    return Math.max(...this.limiters.map((limiter) => limiter.when(item)));
  }

  forget(item: T): void {
    for (const limiter of this.limiters) limiter.forget(item);
  }

  numRequeues(item: T): number {
    return Math.max(...this.limiters.map((limiter) => limiter.numRequeues(item)));
  }
}

/** controller-runtime's default: per-item 5 ms → 1000 s backoff, and 10 qps / burst 100 overall. */
export function defaultControllerRateLimiter<T = string>(): RateLimiter<T> {
  return new MaxOfRateLimiter<T>(
    new ItemExponentialFailureRateLimiter<T>(5, 1_000_000),
    new BucketRateLimiter<T>(10, 100),
  );
}
