/**
 * Field indexes against the real apiserver: `mgr.fieldIndexer.indexField` and
 * `client.list(kind, { matchingFields })` answered from the index without a request, an
 * unindexed field refused by name, indexes added after the cache synced, a map function that
 * finds the referencing objects through the index, and matchingFields on the direct client.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigMap,
  controllerFor,
  newClient,
  Result,
  Secret,
  type DirectClient,
  type Manager,
} from '../../src/runtime/index.js';
import { observeRestRequests } from '../../src/runtime/client/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { startManager, until, type RunningManager } from './harness.js';
import { installWidgetCrd, WidgetKind, type Widget } from './widget-kind.js';

let client: DirectClient;
const managers: RunningManager[] = [];

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'field-index-test' });
  await installWidgetCrd(client);
});

afterAll(async () => {
  await Promise.all(managers.map((m) => m.stop()));
  client?.close();
});

const byColor = (w: Widget) => (w.spec?.color ? [w.spec.color] : []);
const names = (objects: { metadata?: { name?: string } }[]) => objects.map((o) => o.metadata?.name).sort();

/** Requests any client of this process sends while `fn` runs. */
async function requestsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; requests: string[] }> {
  const requests: string[] = [];
  const unsubscribe = observeRestRequests((event) => requests.push(`${event.method} ${event.code}`));
  try {
    return { result: await fn(), requests };
  } finally {
    unsubscribe();
  }
}

async function indexedManager(namespaces: string[], setup: (mgr: Manager) => void = () => {}) {
  const running = await startManager(
    (mgr) => {
      mgr.fieldIndexer.indexField(WidgetKind, 'spec.color', byColor);
      setup(mgr);
    },
    { cache: { defaultNamespaces: namespaces } },
  );
  managers.push(running);
  return running.mgr;
}

describe('field indexes', () => {
  it('answers matchingFields from the index, without a request, in one namespace or all', async () => {
    const [a, b] = await Promise.all(['index-a', 'index-b'].map((p) => createTestNamespace(p)));
    for (const [ns, name, color] of [
      [a, 'red-1', 'red'],
      [a, 'blue-1', 'blue'],
      [b, 'red-2', 'red'],
    ]) {
      await client.create(WidgetKind, { metadata: { namespace: ns, name }, spec: { color } });
    }
    const mgr = await indexedManager([a, b]);
    await until('the cache holds all three', async () => (await mgr.client.list(WidgetKind)).length === 3);

    const all = await requestsDuring(() => mgr.client.list(WidgetKind, { matchingFields: { 'spec.color': 'red' } }));
    expect(names(all.result)).toEqual(['red-1', 'red-2']);
    expect(all.requests).toEqual([]);
    const inA = await requestsDuring(() =>
      mgr.client.list(WidgetKind, { namespace: a, matchingFields: { 'spec.color': 'red' } }),
    );
    expect(names(inA.result)).toEqual(['red-1']);
    expect(inA.requests).toEqual([]);
    const fromServer = await requestsDuring(() => mgr.apiReader.list(WidgetKind, { namespace: a }));
    expect(fromServer.requests).toContain('GET 200'); // the observer does see this process's requests

    expect(names(await mgr.client.list(WidgetKind, { fieldSelector: 'spec.color=blue' }))).toEqual(['blue-1']);
    await client.patch(
      WidgetKind,
      { namespace: a, name: 'blue-1' },
      { type: 'merge', body: { spec: { color: 'red' } } },
    );
    await until(
      'the index follows the change',
      async () => (await mgr.client.list(WidgetKind, { matchingFields: { 'spec.color': 'red' } })).length === 3,
    );
    expect(await mgr.client.list(WidgetKind, { matchingFields: { 'spec.color': 'blue' } })).toEqual([]);
  });

  it('refuses an unindexed field by name, a non-exact match, and a second index of one field', async () => {
    const namespace = await createTestNamespace('index-errors');
    const mgr = await indexedManager([namespace]);
    await expect(mgr.client.list(WidgetKind, { matchingFields: { 'spec.size': '1' } })).rejects.toThrow(
      `the cache has no index for field "spec.size"; register one with mgr.fieldIndexer.indexField(Widget, 'spec.size', extract)`,
    );
    await expect(mgr.client.list(WidgetKind, { fieldSelector: 'spec.color!=red' })).rejects.toThrow(
      'exact matches (=) only',
    );
    expect(() => mgr.fieldIndexer.indexField(WidgetKind, 'spec.color', byColor)).toThrow(
      `indexField(Widget.data.kubeforge.io/v1, 'spec.color'): the field is indexed already`,
    );
  });

  it('builds an index registered after the cache synced from the objects already cached', async () => {
    const namespace = await createTestNamespace('index-late');
    await client.create(WidgetKind, { metadata: { namespace, name: 'big' }, spec: { size: 9 } });
    await client.create(WidgetKind, { metadata: { namespace, name: 'small' }, spec: { size: 1 } });
    const mgr = await indexedManager([namespace]);
    await until('the cache holds both', async () => (await mgr.client.list(WidgetKind)).length === 2);
    mgr.fieldIndexer.indexField(WidgetKind, 'spec.size', (w) => [String(w.spec?.size ?? 0)]);
    expect(names(await mgr.client.list(WidgetKind, { matchingFields: { 'spec.size': '9' } }))).toEqual(['big']);
  });

  it('maps a ConfigMap to the Widgets that reference it through the index', async () => {
    const namespace = await createTestNamespace('index-map');
    for (const [name, color] of [
      ['uses-red', 'red'],
      ['uses-blue', 'blue'],
    ]) {
      await client.create(WidgetKind, { metadata: { namespace, name }, spec: { color } });
    }
    const reconciled: string[] = [];
    const mgr = await indexedManager([namespace], (m) => {
      controllerFor(m, WidgetKind)
        .named(`index-map-${namespace}`)
        .watches(ConfigMap, async (cm) =>
          (
            await m.client.list(WidgetKind, {
              namespace: cm.metadata?.namespace,
              matchingFields: { 'spec.color': cm.metadata?.name ?? '' },
            })
          ).map((w) => ({ namespace, name: w.metadata!.name! })),
        )
        .complete({
          async reconcile(request) {
            reconciled.push(request.name);
            return Result.done();
          },
        });
    });
    await until('both reconciled once', () => reconciled.length === 2);
    await mgr.client.create(ConfigMap, { metadata: { namespace, name: 'blue' } });
    await until('the Widget using the ConfigMap reconciled', () => reconciled.length === 3);
    expect(reconciled[2]).toBe('uses-blue');
  });

  it('sends matchingFields to the apiserver as a field selector on the direct client', async () => {
    const namespace = await createTestNamespace('index-direct');
    await client.create(Secret, { metadata: { namespace, name: 'opaque' }, stringData: { a: 'b' } });
    await client.create(Secret, {
      metadata: { namespace, name: 'basic' },
      type: 'kubernetes.io/basic-auth',
      stringData: { username: 'u', password: 'p' },
    });
    const listed = await client.list(Secret, { namespace, matchingFields: { type: 'kubernetes.io/basic-auth' } });
    expect(names(listed)).toEqual(['basic']);
  });
});
