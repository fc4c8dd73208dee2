import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controllerFor,
  Result,
  Lease,
  newClient,
  type DirectClient,
  type KubeObject,
  type Manager,
  type ObjectKey,
  type ObjectKind,
} from '../../src/runtime/index.js';
import { LeaderElectionLostError, microTime, type LeaderElectionOptions } from '../../src/runtime/leader/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { bundle, spawnManager, startManager, until, type RunningManager } from './harness.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

let client: DirectClient;
let script: string;
const managers: RunningManager[] = [];
const fast = { leaseDurationMs: 3000, renewDeadlineMs: 2000, retryPeriodMs: 500 };

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'leader-test' });
  await installWidgetCrd(client);
  script = await bundle(fileURLToPath(new URL('./fixtures/widget-manager.ts', import.meta.url)));
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

/** A Lease read by a candidate's elector: when, and who held it. */
interface LeaseRead {
  at: number;
  holder: string | undefined;
}

/** An in-process candidate whose reconciles are recorded under its identity, and its reads of the Lease. */
async function candidate(
  namespace: string,
  identity: string,
  reconciledBy: string[],
  election: Partial<LeaderElectionOptions> = {},
): Promise<RunningManager & { leaseReads: LeaseRead[] }> {
  const leaseReads: LeaseRead[] = [];
  const running = await startManager(
    (mgr: Manager) => {
      const get = mgr.apiReader.get.bind(mgr.apiReader);
      mgr.apiReader.get = async <T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey) => {
        const object = await get(kind, key);
        if (kind === Lease)
          leaseReads.push({
            at: Date.now(),
            holder: (object as { spec?: { holderIdentity?: string } } | undefined)?.spec?.holderIdentity,
          });
        return object;
      };
      controllerFor(mgr, WidgetKind)
        .named(`leader-${identity}-${namespace}`)
        .complete({
          async reconcile() {
            reconciledBy.push(identity);
            return Result.done();
          },
        });
    },
    { namespace, leaderElection: { id: 'widgets-lock', namespace, identity, ...fast, ...election } },
  );
  managers.push(running);
  return { ...running, leaseReads };
}

/** Waits until `reads` has `count` more entries than now: the candidate tried for the Lease again. */
async function moreReads(what: string, reads: LeaseRead[], count: number): Promise<void> {
  const target = reads.length + count;
  await until(what, () => reads.length >= target);
}

const holder = async (namespace: string) =>
  (await client.get(Lease, { namespace, name: 'widgets-lock' }))?.spec?.holderIdentity;

describe('leader election on a Lease', () => {
  it('lets only the leader reconcile, and a releasing leader hands over at once', async () => {
    const namespace = await createTestNamespace('leader-two');
    const reconciledBy: string[] = [];
    // a lease far longer than any wait below: `second` can only take over because `first` released it
    const first = await candidate(namespace, 'first', reconciledBy, {
      releaseOnCancel: true,
      leaseDurationMs: 600_000,
    });
    await until('first leads', async () => (await holder(namespace)) === 'first');
    const second = await candidate(namespace, 'second', reconciledBy);
    for (let i = 0; i < 5; i++)
      await client.create(WidgetKind, { metadata: { namespace, name: `w${i}` }, spec: { size: i } });
    await until('five reconciles', () => reconciledBy.length >= 5);
    await moreReads('second tries for the Lease twice more', second.leaseReads, 2);
    expect(second.leaseReads.map((r) => r.holder)).not.toContain('second');
    expect(new Set(reconciledBy)).toEqual(new Set(['first']));

    await first.stop();
    await until('second leads', async () => (await holder(namespace)) === 'second');
    expect(second.leaseReads.some((r) => r.holder === undefined)).toBe(true); // it found the Lease released
    await client.create(WidgetKind, { metadata: { namespace, name: 'after' }, spec: { size: 9 } });
    await until('second reconciles', () => reconciledBy.includes('second'));
  });

  it('stops the leader at once and rejects start when another holder takes the Lease', async () => {
    const namespace = await createTestNamespace('leader-lost');
    const reconciledBy: string[] = [];
    const leader = await candidate(namespace, 'victim', reconciledBy);
    await until('victim leads', async () => (await holder(namespace)) === 'victim');
    const lease = (await client.get(Lease, { namespace, name: 'widgets-lock' }))!;
    await client.update(Lease, {
      ...lease,
      spec: { ...lease.spec, holderIdentity: 'intruder', ...({ renewTime: microTime() } as object) },
    });
    await expect(leader.running).rejects.toBeInstanceOf(LeaderElectionLostError);
    const count = reconciledBy.length;
    await client.create(WidgetKind, { metadata: { namespace, name: 'unseen' }, spec: { size: 1 } });
    // the intruder never renews: an heir takes the Lease once it expires and reconciles 'unseen',
    // seconds after the lost leader would have, had it kept running
    await candidate(namespace, 'heir', reconciledBy);
    await until('heir reconciles', () => reconciledBy.includes('heir'));
    expect(reconciledBy.filter((identity) => identity === 'victim')).toHaveLength(count);
  });

  it('hands over only after the lease expires when the leader process is killed', async () => {
    const namespace = await createTestNamespace('leader-kill');
    const env = {
      KUBEFORGE_TEST_REST_CONFIG: JSON.stringify(testRestConfig()),
      WIDGET_NAMESPACE: namespace,
      LEASE_ID: 'widgets-lock',
    };
    const leader = spawnManager(script, { ...env, IDENTITY: 'child-leader' });
    try {
      await until('child leads', async () => (await holder(namespace)) === 'child-leader', 60_000);
      await client.create(WidgetKind, { metadata: { namespace, name: 'before-kill' }, spec: { size: 1 } });
      await until(
        'child reconciles',
        async () =>
          (await client.get(WidgetKind, { namespace, name: 'before-kill' }))?.metadata?.annotations?.[
            'test.kubeforge.io/finished'
          ] !== undefined,
      );
      const reconciledBy: string[] = [];
      const successor = await candidate(namespace, 'successor', reconciledBy);
      // a successor that ignored the child's renewals would take the Lease at its first attempt one
      // lease duration after it first read it: wait for a read past that, and two attempts more
      const reads = successor.leaseReads;
      await until(
        'successor reads the Lease for longer than a lease duration',
        () => reads.length > 0 && reads.at(-1)!.at >= reads[0].at + fast.leaseDurationMs,
        60_000,
      );
      await moreReads('successor tries twice more', reads, 2);
      expect(reads.map((r) => r.holder)).not.toContain('successor');
      expect(await holder(namespace)).toBe('child-leader');

      leader.child.kill('SIGKILL');
      await until('successor leads', async () => (await holder(namespace)) === 'successor', 60_000);
      await client.create(WidgetKind, { metadata: { namespace, name: 'after-kill' }, spec: { size: 2 } });
      await until('successor reconciles', () => reconciledBy.length > 0);
    } finally {
      leader.child.kill('SIGKILL');
      await leader.exited;
    }
  });
});
