/**
 * What the watch-liveness tests share: a fault proxy in front of the shared apiserver for the
 * file (rules reset after each test), a direct client past it, clean-ups run at the end, and
 * checks of a cache against the apiserver.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../src/envtest/index.js';
import { ConfigMap, newClient, type DirectClient, type KubeObject } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { until } from './harness.js';

export interface FaultSetup {
  readonly proxy: FaultProxy;
  /** Talks to the apiserver directly, never faulted. */
  readonly direct: DirectClient;
  /** Runs `stop` after the file's tests, last registered first. */
  onCleanup(stop: () => unknown): void;
  /** A client through the proxy without client-side throttling, closed at the end. */
  proxiedClient(options?: Parameters<typeof newClient>[1]): DirectClient;
  /** Starts an informer or a cache until the end of the file. */
  running(runnable: { start(signal: AbortSignal): Promise<void> }): void;
  /** A fresh namespace that already holds kube-controller-manager's kube-root-ca.crt ConfigMap. */
  freshNamespace(prefix: string): Promise<string>;
  /** Whether `list()` holds exactly the ConfigMaps (name and resourceVersion) the apiserver has in `namespace`. */
  cacheMatchesServer(list: () => KubeObject[], namespace: string): Promise<boolean>;
}

/** name@resourceVersion of every object, sorted. */
const versions = (objects: KubeObject[]) =>
  objects.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();

/** Registers the file's hooks; read `proxy` and `direct` inside tests (they exist after beforeAll). */
export function useFaultProxy(
  options: { seed?: number; setup?: (direct: DirectClient) => Promise<void> } = {},
): FaultSetup {
  let proxy: FaultProxy | undefined;
  let direct: DirectClient | undefined;
  const stops: (() => unknown)[] = [];
  beforeAll(async () => {
    proxy = await startFaultProxy({ upstream: testRestConfig(), seed: options.seed });
    direct = newClient(testRestConfig(), { qps: -1 });
    await options.setup?.(direct);
  });
  afterEach(() => proxy?.faults.reset());
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    direct?.close();
    await proxy?.close();
  });
  const setup: FaultSetup = {
    get proxy() {
      return proxy!;
    },
    get direct() {
      return direct!;
    },
    onCleanup: (stop) => stops.push(stop),
    proxiedClient(clientOptions) {
      const client = newClient(proxy!.restConfig, { qps: -1, ...clientOptions });
      stops.push(() => client.close());
      return client;
    },
    running(runnable) {
      const stop = new AbortController();
      const done = runnable.start(stop.signal);
      stops.push(async () => {
        stop.abort();
        await done;
      });
    },
    async freshNamespace(prefix) {
      const namespace = await createTestNamespace(prefix);
      // kube-controller-manager adds it soon after; it would otherwise arrive mid-test as one more ConfigMap.
      await until(
        'kube-root-ca.crt published',
        async () => (await direct!.get(ConfigMap, { namespace, name: 'kube-root-ca.crt' })) !== undefined,
      );
      return namespace;
    },
    async cacheMatchesServer(list, namespace) {
      return versions(list()).join() === versions(await direct!.list(ConfigMap, { namespace })).join();
    },
  };
  return setup;
}
