import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  ConfigMap,
  Deployment,
  isAlreadyExists,
  isConflict,
  isNotFound,
  loadRestConfig,
  Namespace,
  newClient,
  type DirectClient,
} from '../../src/runtime/index.js';
import { observeRestRequests, type RestRequestEvent } from '../../src/runtime/client/index.js';
import { createTestNamespace, testKubeconfigPath, testRestConfig } from '../support/cluster.js';
import { installWidgetCrd, WidgetKind, type Widget } from './widget-kind.js';

let client: DirectClient;
let namespace: string;

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'client-test' });
  await installWidgetCrd(client);
  namespace = await createTestNamespace('client');
});

afterAll(() => client?.close());

function widget(name: string, spec: Widget['spec'] = { size: 1 }): Widget {
  return { metadata: { name, namespace, labels: { app: 'widgets' } }, spec };
}

describe('direct client on a custom resource', () => {
  it('creates, reads, updates and deletes a Widget', async () => {
    const created = await client.create(WidgetKind, widget('crud', { size: 1, color: 'red' }));
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.apiVersion).toBe('data.kubeforge.io/v1');

    const read = await client.get(WidgetKind, { namespace, name: 'crud' });
    expect(read?.spec).toEqual({ size: 1, color: 'red' });

    read!.spec!.size = 2;
    const updated = await client.update(WidgetKind, read!);
    expect(updated.spec?.size).toBe(2);
    expect(updated.metadata?.resourceVersion).not.toBe(read!.metadata?.resourceVersion);

    expect(await client.delete(WidgetKind, { namespace, name: 'crud' })).toBe(true);
    expect(await client.get(WidgetKind, { namespace, name: 'crud' })).toBeUndefined();
    expect(await client.delete(WidgetKind, { namespace, name: 'crud' })).toBe(false);
  });

  it('surfaces a stale resourceVersion on update as a conflict', async () => {
    const first = await client.create(WidgetKind, widget('stale'));
    await client.update(WidgetKind, { ...first, spec: { size: 5 } });
    const error = await client.update(WidgetKind, { ...first, spec: { size: 6 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(isConflict(error)).toBe(true);
    expect((error as ApiError).status).toBe(409);
    expect((error as Error).message).toContain('update Widget.data.kubeforge.io/v1');
  });

  it('reports creating an existing object as AlreadyExists, not as a conflict', async () => {
    await client.create(WidgetKind, widget('twice'));
    const error = await client.create(WidgetKind, widget('twice')).catch((e: unknown) => e);
    expect(isAlreadyExists(error)).toBe(true);
    expect(isConflict(error)).toBe(false);
  });

  it('writes status only through the status subresource', async () => {
    const created = await client.create(WidgetKind, widget('status', { size: 3 }));
    const ignored = await client.update(WidgetKind, { ...created, status: { phase: 'Ignored' } });
    expect(ignored.status).toBeUndefined();

    const withStatus = await client
      .status()
      .update(WidgetKind, { ...ignored, status: { phase: 'Ready', observedSize: 3 } });
    expect(withStatus.status).toEqual({ phase: 'Ready', observedSize: 3 });

    const patched = await client
      .status()
      .patch(WidgetKind, { namespace, name: 'status' }, { type: 'merge', body: { status: { phase: 'Degraded' } } });
    expect(patched.status).toEqual({ phase: 'Degraded', observedSize: 3 });

    const applied = await client
      .status()
      .apply(
        WidgetKind,
        { metadata: { name: 'status', namespace }, status: { phase: 'Applied' } },
        { fieldManager: 'status-applier', force: true },
      );
    expect(applied.status?.phase).toBe('Applied');
    expect(applied.spec?.size).toBe(3);
  });

  it('server-side applies with a field manager, conflicts with another manager unless forced', async () => {
    const applied = await client.apply(WidgetKind, widget('ssa', { size: 1, color: 'blue' }), {
      fieldManager: 'owner-a',
    });
    expect(applied.spec).toEqual({ size: 1, color: 'blue' });
    expect(applied.metadata?.managedFields?.map((f) => f.manager)).toContain('owner-a');

    const conflict = await client
      .apply(WidgetKind, widget('ssa', { color: 'green' }), { fieldManager: 'owner-b' })
      .catch((e: unknown) => e);
    expect(isConflict(conflict)).toBe(true);

    const forced = await client.apply(WidgetKind, widget('ssa', { color: 'green' }), {
      fieldManager: 'owner-b',
      force: true,
    });
    expect(forced.spec).toEqual({ size: 1, color: 'green' });

    const dryRun = await client.apply(WidgetKind, widget('ssa', { size: 9 }), {
      fieldManager: 'owner-a',
      dryRun: true,
    });
    expect(dryRun.spec?.size).toBe(9);
    expect((await client.get(WidgetKind, { namespace, name: 'ssa' }))?.spec?.size).toBe(1);
  });

  it('patches with merge and JSON patches; a failed JSON-patch test is a conflict-free Invalid error', async () => {
    await client.create(WidgetKind, widget('patches', { size: 1, tags: ['a'] }));
    const merged = await client.patch(
      WidgetKind,
      { namespace, name: 'patches' },
      { type: 'merge', body: { spec: { color: 'pink' } } },
    );
    expect(merged.spec).toEqual({ size: 1, color: 'pink', tags: ['a'] });

    const jsonPatched = await client.patch(
      WidgetKind,
      { namespace, name: 'patches' },
      {
        type: 'json',
        operations: [
          { op: 'test', path: '/spec/tags/0', value: 'a' },
          { op: 'add', path: '/spec/tags/-', value: 'b' },
        ],
      },
    );
    expect(jsonPatched.spec?.tags).toEqual(['a', 'b']);

    const failed = await client
      .patch(
        WidgetKind,
        { namespace, name: 'patches' },
        { type: 'json', operations: [{ op: 'test', path: '/spec/tags/0', value: 'zzz' }] },
      )
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(ApiError);
    expect((failed as ApiError).status).toBe(422);
  });

  it('lists page by page with continue tokens and filters by label selector', async () => {
    for (let i = 0; i < 7; i++) {
      await client.create(WidgetKind, {
        metadata: { name: `page-${i}`, namespace, labels: { page: 'yes' } },
        spec: { size: i },
      });
    }
    const first = await client.listPage(WidgetKind, { namespace, labelSelector: 'page=yes', limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.continue).toBeTruthy();
    expect(first.items[0].kind).toBe('Widget');
    const second = await client.listPage(WidgetKind, {
      namespace,
      labelSelector: 'page=yes',
      limit: 3,
      continue: first.continue,
    });
    expect(second.items.map((w) => w.metadata?.name)).toEqual(['page-3', 'page-4', 'page-5']);

    const all = await client.list(WidgetKind, { namespace, labelSelector: 'page=yes' });
    expect(all.map((w) => w.spec?.size).sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(all.every((w) => w.apiVersion === 'data.kubeforge.io/v1')).toBe(true);

    const metadataOnly = await client.listPage(WidgetKind, {
      namespace,
      labelSelector: 'page=yes',
      metadataOnly: true,
    });
    expect(metadataOnly.items).toHaveLength(7);
    expect(metadataOnly.items[0].spec).toBeUndefined();
    expect(metadataOnly.items[0].kind).toBe('Widget');
  });

  it('deletes all objects matching a label selector in a namespace', async () => {
    for (const name of ['sweep-1', 'sweep-2']) {
      await client.create(WidgetKind, { metadata: { name, namespace, labels: { sweep: 'me' } }, spec: { size: 1 } });
    }
    await client.create(WidgetKind, widget('keep'));
    await client.deleteAllOf(WidgetKind, { namespace, labelSelector: 'sweep=me' });
    const left = await client.list(WidgetKind, { namespace, labelSelector: 'sweep=me' });
    expect(left).toEqual([]);
    expect(await client.get(WidgetKind, { namespace, name: 'keep' })).toBeDefined();
  });
});

describe('direct client on Deployments', () => {
  const labels = { app: 'web' };
  const deployment = (name: string) => ({
    metadata: { name, namespace, labels },
    spec: {
      replicas: 1,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'A', value: '1' }] }] },
      },
    },
  });

  it('creates a Deployment and strategic-merge patches its containers by name', async () => {
    await client.create(Deployment, deployment('web'));
    const patched = await client.patch(
      Deployment,
      { namespace, name: 'web' },
      {
        type: 'strategic',
        body: { spec: { template: { spec: { containers: [{ name: 'web', env: [{ name: 'B', value: '2' }] }] } } } },
      },
    );
    const container = patched.spec?.template.spec?.containers[0];
    expect(container?.image).toBe('nginx:1.27');
    expect(container?.env?.map((e) => e.name).sort()).toEqual(['A', 'B']);
  });

  it('server-side applies a Deployment and updates its status', async () => {
    const applied = await client.apply(
      Deployment,
      { apiVersion: 'apps/v1', kind: 'Deployment', ...deployment('applied') },
      {
        fieldManager: 'web-operator',
      },
    );
    expect(applied.spec?.replicas).toBe(1);
    const reapplied = await client.apply(
      Deployment,
      { ...deployment('applied'), spec: { ...deployment('applied').spec, replicas: 3 } },
      {
        fieldManager: 'web-operator',
      },
    );
    expect(reapplied.spec?.replicas).toBe(3);

    const withStatus = await client
      .status()
      .patch(
        Deployment,
        { namespace, name: 'applied' },
        // kube-controller-manager writes this status too: replicas = spec.replicas stays above every count it may have set.
        { type: 'merge', body: { status: { observedGeneration: reapplied.metadata?.generation, replicas: 3 } } },
      );
    expect(withStatus.status?.observedGeneration).toBe(reapplied.metadata?.generation);
  });

  it('gets undefined for a missing object but throws for a kind the server does not serve', async () => {
    expect(await client.get(ConfigMap, { namespace, name: 'absent' })).toBeUndefined();
    const NotServed = { ...WidgetKind, group: 'nowhere.kubeforge.io', apiVersion: 'nowhere.kubeforge.io/v1' };
    const error = await client.get(NotServed, { namespace, name: 'x' }).catch((e: unknown) => e);
    expect(isNotFound(error)).toBe(true);
  });
});

describe('configuration', () => {
  it('connects with client certificates loaded from the control plane kubeconfig', async () => {
    const fromKubeconfig = newClient(loadRestConfig({ kubeconfig: testKubeconfigPath() }));
    expect((await fromKubeconfig.get(Namespace, { name: namespace }))?.metadata?.name).toBe(namespace);
    fromKubeconfig.close();
  });
});

describe('discovery and request metrics', () => {
  it('maps apiVersion and kind to plural and scope through discovery', async () => {
    const deployment = await client.kindFor('apps/v1', 'Deployment');
    expect(deployment).toMatchObject({ group: 'apps', version: 'v1', plural: 'deployments', namespaced: true });
    const widgets = await client.kindFor('data.kubeforge.io/v1', 'Widget');
    expect(widgets).toMatchObject({ plural: 'widgets', namespaced: true, apiVersion: 'data.kubeforge.io/v1' });
    const namespaces = await client.kindFor('v1', 'Namespace');
    expect(namespaces).toMatchObject({ group: '', plural: 'namespaces', namespaced: false });
    await expect(client.kindFor('apps/v1', 'Nope')).rejects.toThrow('no kind Nope is served in apps/v1');
    await expect(client.kindFor('nowhere.example.com/v1', 'Thing')).rejects.toThrow('is its CRD installed?');
  });

  it('reports every request with method, code and latency to REST observers', async () => {
    const seen: RestRequestEvent[] = [];
    const stop = observeRestRequests((event) => seen.push(event));
    await client.get(ConfigMap, { namespace, name: 'absent' });
    await client.list(ConfigMap, { namespace });
    stop();
    await client.list(ConfigMap, { namespace });
    expect(seen.map((e) => `${e.method} ${e.code}`)).toEqual(['GET 404', 'GET 200']);
    expect(seen.every((e) => e.durationMs >= 0 && e.host.startsWith('127.0.0.1:'))).toBe(true);
  });
});
