/**
 * Network faults of the proxy in front of the shared apiserver: every connection cut at once, and
 * partitions — a black hole (nothing moves, HTTP/2 PINGs go unanswered, what was sent arrives
 * after the heal) or resets — while the apiserver stays reachable directly.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/envtest/index.js';
import { ConfigMap, newClient, type DirectClient } from '../../src/runtime/index.js';
import type { ConnectionEvent, WatchEvent } from '../../src/runtime/client/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { eventually } from '../runtime/recorder.js';

let proxy: FaultProxy;
let direct: DirectClient;
let namespace: string;
const clients: DirectClient[] = [];

function client(protocol: 'h2' | 'http/1.1', options: Parameters<typeof newClient>[1] = {}): DirectClient {
  const made = newClient(proxy.restConfig, { http2: protocol === 'h2', qps: -1, ...options });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  proxy = await startFaultProxy({ upstream: testRestConfig() });
  direct = newClient(testRestConfig(), { qps: -1 });
  namespace = await createTestNamespace('faults-network');
  await direct.create(ConfigMap, { metadata: { name: 'target', namespace } });
});

afterEach(() => proxy.faults.reset());

afterAll(async () => {
  for (const made of clients) made.close();
  direct?.close();
  await proxy?.close();
});

describe.each(['h2', 'http/1.1'] as const)('network faults over %s', (protocol) => {
  it('cutConnections resets open connections: an open watch fails, the next request reconnects', async () => {
    const watching = client(protocol);
    const events = await watching.watch(ConfigMap, { namespace });
    const outcome = (async () => {
      for await (const _event of events as AsyncGenerator<WatchEvent>);
    })().then(
      () => 'ended',
      () => 'failed',
    );
    await eventually(() => proxy.faults.count({ verbs: 'watch', namespace }) === 1, 'the watch reached the proxy');
    expect(proxy.faults.cutConnections()).toBeGreaterThanOrEqual(1);
    expect(await outcome).toBe('failed');
    expect(await watching.get(ConfigMap, { namespace, name: 'target' })).toBeDefined();
  });

  it('a black-hole partition holds requests until it heals, while the apiserver answers directly', async () => {
    const proxied = client(protocol, { http2PingIntervalMs: 0 });
    await proxied.get(ConfigMap, { namespace, name: 'target' });
    const partition = proxy.faults.partition({ durationMs: 2000 });
    const order: string[] = [];
    const held = proxied.get(ConfigMap, { namespace, name: 'target' }).then(() => order.push('proxied'));
    void partition.healed.then(() => order.push('healed'));
    await direct.get(ConfigMap, { namespace, name: 'target' }).then(() => order.push('direct'));
    await held;
    expect(order).toEqual(['direct', 'healed', 'proxied']);
  });

  it('a reset partition refuses connections until removed', async () => {
    const refused = client(protocol, { maxRetries: 0 });
    const partition = proxy.faults.partition({ mode: 'reset' });
    await expect(refused.get(ConfigMap, { namespace, name: 'target' })).rejects.toThrow();
    expect(proxy.faults.count({ name: 'target' })).toBe(0);
    partition.remove();
    await partition.healed;
    expect(await refused.get(ConfigMap, { namespace, name: 'target' })).toBeDefined();
  });
});

describe('a black-hole partition and HTTP/2 PINGs', () => {
  it('leaves PINGs unanswered, so the client finds its connection dead', async () => {
    const events: ConnectionEvent[] = [];
    const pinging = client('h2', {
      http2PingIntervalMs: 200,
      http2PingTimeoutMs: 500,
      onConnectionEvent: (event) => events.push(event),
    });
    await pinging.get(ConfigMap, { namespace, name: 'target' });
    proxy.faults.partition();
    await eventually(() => events.some((e) => e.type === 'connection-lost'), 'the client declared its connection lost');
    proxy.faults.reset();
    expect(await pinging.get(ConfigMap, { namespace, name: 'target' })).toBeDefined();
  });
});
