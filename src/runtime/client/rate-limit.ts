/**
 * The client-side rate limit: a token bucket of `burst` tokens refilled at `qps` per second, as
 * client-go's `flowcontrol.NewTokenBucketRateLimiter`. Each request takes one token and waits for
 * it when the bucket is empty; waiters are served in arrival order.
 */
import { sleep } from '../sleep.js';

/** Thrown (as the abort reason's cause) when a request is cancelled while it waits for a token. */
export class RateLimiterWaitAborted extends Error {
  override readonly name = 'RateLimiterWaitAborted';
}

export class TokenBucket {
  private tokens: number;
  private last: number;
  private tail: Promise<void> = Promise.resolve();

  constructor(
    readonly qps: number,
    readonly burst: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!(qps > 0)) throw new Error(`rate limit: qps must be positive (or negative to disable), got ${qps}`);
    if (!(burst >= 1)) throw new Error(`rate limit: burst must be at least 1, got ${burst}`);
    this.tokens = burst;
    this.last = now();
  }

  /** Resolves once a token is taken; rejects with the signal's reason when aborted while waiting. */
  take(signal?: AbortSignal): Promise<void> {
    const turn = this.tail.then(() => this.takeInTurn(signal));
    this.tail = turn.catch(() => {});
    if (!signal) return turn;
    return new Promise((resolve, reject) => {
      const onAbort = () => reject(aborted(signal));
      signal.addEventListener('abort', onAbort, { once: true });
      turn.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  private async takeInTurn(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw aborted(signal);
      const now = this.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) / 1000) * this.qps);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await sleep(Math.ceil(((1 - this.tokens) / this.qps) * 1000), signal);
    }
  }
}

function aborted(signal: AbortSignal): RateLimiterWaitAborted {
  return new RateLimiterWaitAborted('cancelled while waiting for the client-side rate limiter', {
    cause: signal.reason,
  });
}
