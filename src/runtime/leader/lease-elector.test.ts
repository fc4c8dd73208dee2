import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { newFakeClient } from '../../testing/fake-client.js';
import { Lease } from '../kinds.js';
import { LeaderElectionLostError, LeaseElector, microTime } from './lease-elector.js';

const log = pino({ level: 'silent' });
const timing = { leaseDurationMs: 1000, renewDeadlineMs: 400, retryPeriodMs: 50 };
const key = { namespace: 'ns', name: 'lock' };
const elector = (client: ReturnType<typeof newFakeClient>, identity: string) =>
  new LeaseElector(client, { id: 'lock', namespace: 'ns', identity, ...timing }, log);

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
    const b = elector(client, 'b');
    const started = Date.now();
    expect(await b.acquire(AbortSignal.timeout(5000))).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(timing.leaseDurationMs - 50);
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
    const started = Date.now();
    expect(await elector(client, 'b').acquire(AbortSignal.timeout(2000))).toBe(true);
    expect(Date.now() - started).toBeLessThan(timing.leaseDurationMs);
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
