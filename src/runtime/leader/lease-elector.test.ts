import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { newFakeClient } from '../../testing/index.js';
import { Lease } from '../kinds.js';
import { LeaderElectionLostError, LeaseElector, microTime } from './lease-elector.js';

const log = pino({ level: 'silent' });
const timing = { leaseDurationMs: 1000, renewDeadlineMs: 400, retryPeriodMs: 50 };
const key = { namespace: 'ns', name: 'lock' };
const elector = (client: ReturnType<typeof newFakeClient>, identity: string) =>
  new LeaseElector(client, { id: 'lock', namespace: 'ns', identity, ...timing }, log);

afterEach(() => {
  vi.useRealTimers();
});

describe('LeaseElector', () => {
  it('writes MicroTime with exactly six fractional digits', () => {
    expect(microTime(new Date('2026-01-02T03:04:05.678Z'))).toBe('2026-01-02T03:04:05.678000Z');
  });

  it('creates an absent Lease naming itself as holder', async () => {
    const client = newFakeClient();
    const a = elector(client, 'a');
    expect(await a.acquire(new AbortController().signal)).toBe(true);
    expect(a.isLeader).toBe(true);
    const lease = await client.get(Lease, key);
    expect(lease?.spec).toMatchObject({ holderIdentity: 'a', leaseDurationSeconds: 1, leaseTransitions: 0 });
    expect(String(lease?.spec?.renewTime)).toMatch(/\.\d{6}Z$/);
  });

  it('waits for a held Lease to go unrenewed for the lease duration before taking it over', async () => {
    const client = newFakeClient();
    await elector(client, 'a').acquire(new AbortController().signal);
    const reads = vi.spyOn(client, 'get');
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] }); // time moves only when the test moves it
    const b = elector(client, 'b');
    const acquiring = b.acquire(new AbortController().signal);
    await vi.advanceTimersByTimeAsync(timing.leaseDurationMs - 1);
    expect(reads.mock.calls.length).toBeGreaterThan(1); // it kept trying while the Lease was live
    expect(b.isLeader).toBe(false);
    expect((await client.get(Lease, key))?.spec?.holderIdentity).toBe('a');
    await vi.advanceTimersByTimeAsync(2.2 * timing.retryPeriodMs); // the longest jittered retry
    expect(b.isLeader).toBe(true);
    expect(await acquiring).toBe(true);
    expect((await client.get(Lease, key))?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('gives up waiting when its signal aborts', async () => {
    const client = newFakeClient();
    await elector(client, 'a').acquire(new AbortController().signal);
    expect(await elector(client, 'b').acquire(AbortSignal.timeout(200))).toBe(false);
  });

  it('loses leadership as soon as it sees another holder', async () => {
    const client = newFakeClient();
    const a = elector(client, 'a');
    await a.acquire(new AbortController().signal);
    const holding = a.hold(new AbortController().signal);
    const lease = (await client.get(Lease, key))!;
    await client.update(Lease, { ...lease, spec: { ...lease.spec, holderIdentity: 'thief' } });
    await expect(holding).rejects.toBeInstanceOf(LeaderElectionLostError);
    expect(a.isLeader).toBe(false);
  });

  it('releases the Lease so a successor takes it at once', async () => {
    const client = newFakeClient();
    const a = elector(client, 'a');
    await a.acquire(new AbortController().signal);
    const stop = new AbortController();
    const holding = a.hold(stop.signal);
    stop.abort();
    await holding;
    await a.release();
    expect((await client.get(Lease, key))?.spec).toMatchObject({ leaseDurationSeconds: 1 });
    expect((await client.get(Lease, key))?.spec?.holderIdentity).toBeUndefined();
    const reads = vi.spyOn(client, 'get');
    expect(await elector(client, 'b').acquire(new AbortController().signal)).toBe(true);
    expect(reads).toHaveBeenCalledTimes(1); // taken on the first attempt, not after the lease expired
  });

  it('rejects timings where the renew deadline is not below the lease duration', () => {
    expect(
      () =>
        new LeaseElector(
          newFakeClient(),
          { id: 'x', namespace: 'ns', leaseDurationMs: 1000, renewDeadlineMs: 1000 },
          log,
        ),
    ).toThrow(/leaseDurationMs \(1000\) > renewDeadlineMs \(1000\)/);
  });
});
