import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  controllerFor,
  done,
  Lease,
  LeaderElectionLostError,
  microTime,
  newClient,
  type DirectClient,
  type LeaderElectionOptions,
  type Manager,
} from '../../src/runtime/index.js';
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

/** An in-process candidate whose reconciles are recorded under its identity. */
async function candidate(
  namespace: string,
  identity: string,
  reconciledBy: string[],
  election: Partial<LeaderElectionOptions> = {},
): Promise<RunningManager> {
  const running = await startManager(
    (mgr: Manager) => {
      controllerFor(mgr, WidgetKind)
        .named(`leader-${identity}-${namespace}`)
        .complete({
          async reconcile() {
            reconciledBy.push(identity);
            return done();
          },
        });
    },
    { namespace, leaderElection: { id: 'widgets-lock', namespace, identity, ...fast, ...election } },
  );
  managers.push(running);
  return running;
}

const holder = async (namespace: string) =>
  (await client.get(Lease, { namespace, name: 'widgets-lock' }))?.spec?.holderIdentity;

describe('leader election on a Lease', () => {
  it('lets only the leader reconcile, and a releasing leader hands over at once', async () => {
    const namespace = await createTestNamespace('leader-two');
    const reconciledBy: string[] = [];
    const first = await candidate(namespace, 'first', reconciledBy, { releaseOnCancel: true });
    await until('first leads', async () => (await holder(namespace)) === 'first');
    await candidate(namespace, 'second', reconciledBy);
    for (let i = 0; i < 5; i++)
      await client.create(WidgetKind, { metadata: { namespace, name: `w${i}` }, spec: { size: i } });
    await until('five reconciles', () => reconciledBy.length >= 5);
    await new Promise((r) => setTimeout(r, 1500));
    expect(new Set(reconciledBy)).toEqual(new Set(['first']));

    const stopped = Date.now();
    await first.stop();
    expect((await client.get(Lease, { namespace, name: 'widgets-lock' }))?.spec?.holderIdentity).toBeUndefined();
    await until('second leads', async () => (await holder(namespace)) === 'second', 5000);
    const handover = Date.now() - stopped;
    await client.create(WidgetKind, { metadata: { namespace, name: 'after' }, spec: { size: 9 } });
    await until('second reconciles', () => reconciledBy.includes('second'));
    expect(handover).toBeLessThan(fast.leaseDurationMs);
    console.log(`released lease handed over in ${handover} ms`);
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
    await new Promise((r) => setTimeout(r, 500));
    expect(reconciledBy.length).toBe(count);
  });

  it('hands over within the lease duration when the leader process is killed', async () => {
    const namespace = await createTestNamespace('leader-kill');
    const env = {
      KUBEFORGE_TEST_REST_CONFIG: JSON.stringify(testRestConfig()),
      WIDGET_NAMESPACE: namespace,
      LEASE_ID: 'widgets-lock',
    };
    const leader = spawnManager(script, { ...env, IDENTITY: 'child-leader' });
    try {
      await until('child leads', async () => (await holder(namespace)) === 'child-leader', 20_000);
      await client.create(WidgetKind, { metadata: { namespace, name: 'before-kill' }, spec: { size: 1 } });
      await until(
        'child reconciles',
        async () =>
          (await client.get(WidgetKind, { namespace, name: 'before-kill' }))?.metadata?.annotations?.[
            'test.kubeforge.io/finished'
          ] !== undefined,
      );
      const reconciledBy: string[] = [];
      await candidate(namespace, 'successor', reconciledBy);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await holder(namespace)).toBe('child-leader');

      leader.child.kill('SIGKILL');
      const killed = Date.now();
      await until('successor leads', async () => (await holder(namespace)) === 'successor', 15_000);
      const handover = Date.now() - killed;
      console.log(
        `killed leader handed over in ${handover} ms (lease ${fast.leaseDurationMs} ms, retry ${fast.retryPeriodMs} ms)`,
      );
      // expiry is judged from when the successor saw the last renewal (up to one jittered retry
      // after it), then one more jittered retry; 2 s of slack for a loaded machine
      expect(handover).toBeLessThan(fast.leaseDurationMs + 2 * 2.2 * fast.retryPeriodMs + 2000);
      await client.create(WidgetKind, { metadata: { namespace, name: 'after-kill' }, spec: { size: 2 } });
      await until('successor reconciles', () => reconciledBy.length > 0);
    } finally {
      leader.child.kill('SIGKILL');
      await leader.exited;
    }
  });
});
