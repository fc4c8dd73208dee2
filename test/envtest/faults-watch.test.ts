/**
 * Watch faults through the proxy in front of the shared apiserver, seen by the runtime's client
 * over HTTP/2 and HTTP/1.1: a frozen stream delivers nothing while its connection stays usable,
 * dropped streams end (reset or cleanly), expired ones end with 410 Gone, a new watch can be
 * answered with 410 as the apiserver does for a compacted resourceVersion.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/envtest/index.js';
import { ConfigMap, isGone, newClient, type DirectClient } from '../../src/runtime/index.js';
import type { WatchEvent } from '../../src/runtime/client/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { eventually } from '../runtime/recorder.js';

let proxy: FaultProxy;
let direct: DirectClient;
const clients: DirectClient[] = [];

/** A watch being consumed: the names of the objects it delivered, and how it ended. */
interface Consumed {
  names: string[];
  ended: boolean;
  error?: unknown;
}

async function watch(client: DirectClient, namespace: string, labelSelector?: string): Promise<Consumed> {
  const { resourceVersion } = await client.listPage(ConfigMap, { namespace });
  const events = await client.watch(ConfigMap, { namespace, labelSelector, resourceVersion });
  const consumed: Consumed = { names: [], ended: false };
  void (async () => {
    try {
      for await (const event of events as AsyncGenerator<WatchEvent>)
        if (event.type !== 'BOOKMARK') consumed.names.push(event.object.metadata?.name ?? '');
    } catch (error) {
      consumed.error = error;
    }
    consumed.ended = true;
  })();
  return consumed;
}

const configMap = (namespace: string, name: string, labels?: Record<string, string>) =>
  direct.create(ConfigMap, { metadata: { name, namespace, labels } });

beforeAll(async () => {
  proxy = await startFaultProxy({ upstream: testRestConfig() });
  direct = newClient(testRestConfig(), { qps: -1 });
});

afterEach(() => proxy.faults.reset());

afterAll(async () => {
  for (const client of clients) client.close();
  direct?.close();
  await proxy?.close();
});

describe.each(['h2', 'http/1.1'] as const)('watch faults over %s', (protocol) => {
  let client: DirectClient;
  let namespace: string;

  beforeAll(() => {
    client = newClient(proxy.restConfig, { http2: protocol === 'h2', qps: -1 });
    clients.push(client);
  });

  // A namespace per test: watches of earlier tests stay open and must not match this test's rules.
  beforeEach(async () => {
    namespace = await createTestNamespace('faults-watch');
  });

  it('a frozen watch delivers nothing more while its connection stays open and usable', async () => {
    const frozen = await watch(client, namespace, 'group=a');
    const live = await watch(client, namespace);
    await configMap(namespace, 'before', { group: 'a' });
    await eventually(() => frozen.names.includes('before'), 'the watch delivered "before"');

    const rule = proxy.faults.freezeWatches({ when: (r) => r.query.get('labelSelector') === 'group=a' });
    expect(rule.hits).toBe(1);
    await configMap(namespace, 'during', { group: 'a' });
    // The unfrozen watch on the same connection gets it, and a request on that connection is answered.
    await eventually(() => live.names.includes('during'), 'the live watch delivered "during"');
    expect(await client.get(ConfigMap, { namespace, name: 'during' })).toBeDefined();
    expect(frozen.ended).toBe(false);

    // Ending the frozen stream shows everything it ever delivered.
    expect(proxy.faults.dropWatches({ when: (r) => r.query.get('labelSelector') === 'group=a' }, { mode: 'end' })).toBe(
      1,
    );
    await eventually(() => frozen.ended, 'the frozen watch ended');
    expect(frozen.error).toBeUndefined();
    expect(frozen.names).toEqual(['before']);
    expect(proxy.faults.requests({ verbs: 'watch', namespace }).map((r) => r.fault)).toEqual(['drop (end)', undefined]);
  });

  it('a freeze rule also freezes watches opened after it', async () => {
    proxy.faults.freezeWatches({ namespace, verbs: 'watch', times: 1 });
    const frozen = await watch(client, namespace);
    const later = await watch(client, namespace);
    await configMap(namespace, 'after-freeze');
    await eventually(() => later.names.includes('after-freeze'), 'the second watch (past times: 1) delivered');
    proxy.faults.reset();
    await eventually(() => frozen.ended, 'reset ended the frozen watch');
    expect(frozen.names).toEqual([]);
  });

  it('dropped watches are reset: the client sees the stream fail', async () => {
    const dropped = await watch(client, namespace);
    await eventually(() => proxy.faults.count({ verbs: 'watch', namespace }) === 1, 'the watch reached the proxy');
    expect(proxy.faults.dropWatches({ namespace })).toBe(1);
    await eventually(() => dropped.ended, 'the dropped watch ended');
    expect(dropped.error).toBeDefined();
    expect(isGone(dropped.error)).toBe(false);
  });

  it('expired watches end with 410 Gone "too old resource version"', async () => {
    const expired = await watch(client, namespace);
    await eventually(() => proxy.faults.count({ verbs: 'watch', namespace }) === 1, 'the watch reached the proxy');
    expect(proxy.faults.expireWatches({ resources: 'configmaps', namespace })).toBe(1);
    await eventually(() => expired.ended, 'the expired watch ended');
    expect(isGone(expired.error)).toBe(true);
    expect(String(expired.error)).toContain('too old resource version');
  });

  it('a new watch answered with 410 fails as Gone; the next one works', async () => {
    proxy.faults.fail({ status: 410, verbs: 'watch', namespace, times: 1 });
    const refused = await watch(client, namespace);
    await eventually(() => refused.ended, 'the refused watch ended');
    expect(isGone(refused.error)).toBe(true);
    const accepted = await watch(client, namespace);
    await configMap(namespace, 'after-410');
    await eventually(() => accepted.names.includes('after-410'), 'the next watch delivered');
    expect(proxy.faults.requests({ verbs: 'watch', namespace }).map((r) => r.protocol)).toEqual([protocol, protocol]);
  });
});
