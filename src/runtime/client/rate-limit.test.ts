import { afterEach, describe, expect, it, vi } from 'vitest';
import { RateLimiterWaitAborted, TokenBucket } from './rate-limit.js';

afterEach(() => vi.useRealTimers());

describe('token bucket', () => {
  it('gives out `burst` tokens at once, then one per 1/qps seconds, in arrival order', async () => {
    vi.useFakeTimers();
    let now = 0;
    const bucket = new TokenBucket(2, 3, () => now);
    const order: number[] = [];
    const takes = Array.from({ length: 5 }, (_, i) => bucket.take().then(() => order.push(i)));
    await vi.advanceTimersByTimeAsync(0);
    expect(order).toEqual([0, 1, 2]);
    now = 500;
    await vi.advanceTimersByTimeAsync(500);
    expect(order).toEqual([0, 1, 2, 3]);
    now = 1000;
    await vi.advanceTimersByTimeAsync(500);
    await Promise.all(takes);
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('rejects a waiter whose signal aborts, and the next waiter still gets the token', async () => {
    vi.useFakeTimers();
    let now = 0;
    const bucket = new TokenBucket(1, 1, () => now);
    await bucket.take();
    const abort = new AbortController();
    const cancelled = bucket.take(abort.signal).catch((error: unknown) => error);
    const next = bucket.take();
    abort.abort();
    expect(await cancelled).toBeInstanceOf(RateLimiterWaitAborted);
    now = 1000;
    await vi.advanceTimersByTimeAsync(1000);
    await expect(next).resolves.toBeUndefined();
  });

  it('refuses a zero rate or burst with a message', () => {
    expect(() => new TokenBucket(0, 1)).toThrow('rate limit: qps must be positive (or negative to disable), got 0');
    expect(() => new TokenBucket(1, 0)).toThrow('rate limit: burst must be at least 1, got 0');
  });
});
