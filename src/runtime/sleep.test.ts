import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sleep } from './sleep.js';

/** Whether `promise` has settled after the pending microtasks ran (timers do not move). */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await vi.advanceTimersByTimeAsync(0);
  return done;
}

describe('sleep', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('resolves once the time has passed, not before', async () => {
    const waiting = sleep(1000, new AbortController().signal);
    await vi.advanceTimersByTimeAsync(999);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(await settled(waiting)).toBe(true);
  });

  it('resolves at once, leaving no timer, when the signal has already aborted', async () => {
    const aborted = AbortSignal.abort(new Error('stopped'));
    await expect(settled(sleep(60_000, aborted))).resolves.toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('resolves when the signal aborts during the wait and clears its timer', async () => {
    const stop = new AbortController();
    const waiting = sleep(60_000, stop.signal);
    expect(await settled(waiting)).toBe(false);
    stop.abort();
    expect(await settled(waiting)).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('waits the whole time without a signal', async () => {
    const waiting = sleep(50);
    expect(await settled(waiting)).toBe(false);
    await vi.advanceTimersByTimeAsync(50);
    expect(await settled(waiting)).toBe(true);
  });
});
