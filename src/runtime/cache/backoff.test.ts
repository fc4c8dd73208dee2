import { afterEach, describe, expect, it, vi } from 'vitest';
import { Backoff } from './backoff.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('Backoff', () => {
  it('doubles from 0.8 s up to a 30 s cap', () => {
    vi.useFakeTimers();
    const backoff = new Backoff({}, () => 0);
    const delays = Array.from({ length: 8 }, () => backoff.next());
    expect(delays).toEqual([800, 1600, 3200, 6400, 12800, 25600, 30000, 30000]);
  });

  it('adds up to 20% jitter without passing the cap', () => {
    vi.useFakeTimers();
    const backoff = new Backoff({}, () => 1);
    expect(backoff.next()).toBe(960);
    expect(backoff.next()).toBe(1920);
    for (let i = 0; i < 10; i++) expect(backoff.next()).toBeLessThanOrEqual(30_000);
  });

  it('starts over after a healthy period with no failures', () => {
    vi.useFakeTimers();
    const backoff = new Backoff({ resetAfterMs: 120_000 }, () => 0);
    backoff.next();
    backoff.next();
    vi.advanceTimersByTime(119_000);
    expect(backoff.next()).toBe(3200);
    vi.advanceTimersByTime(120_000);
    expect(backoff.next()).toBe(800);
  });
});
