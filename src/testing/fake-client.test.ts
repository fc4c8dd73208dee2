import { describe, expect, it } from 'vitest';
import { isAlreadyExists, isConflict, isNotFound } from '../runtime/client/errors.js';
import { createOrPatch, createOrUpdate } from '../runtime/helpers/create-or-update.js';
import { finalize } from '../runtime/helpers/finalizers.js';
import type { KubeObject, ObjectKind } from '../runtime/types.js';
import { newFakeClient } from './fake-client.js';
import { testReconcileContext } from './reconcile-context.js';

interface Widget extends KubeObject {
  spec?: { size?: number };
  status?: { ready?: boolean };
}
const WidgetKind: ObjectKind<Widget> = {
  group: 'test.kubeforge.io',
  version: 'v1',
  apiVersion: 'test.kubeforge.io/v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
};
const key = { namespace: 'ns', name: 'w' };

describe('fake client', () => {
  it('creates, reads and lists objects with server-set metadata', async () => {
    const client = newFakeClient([
      { kind: WidgetKind, object: { metadata: { name: 'seed', namespace: 'ns', labels: { tier: 'a' } } } },
    ]);
    const created = await client.create(WidgetKind, { metadata: { ...key, labels: { tier: 'b' } }, spec: { size: 1 } });
    expect(created).toMatchObject({ apiVersion: 'test.kubeforge.io/v1', kind: 'Widget', metadata: { generation: 1 } });
    expect(created.metadata?.uid).toBeTruthy();
    expect((await client.get(WidgetKind, key))?.spec).toEqual({ size: 1 });
    expect(await client.get(WidgetKind, { namespace: 'ns', name: 'missing' })).toBeUndefined();
    expect((await client.list(WidgetKind, { labelSelector: 'tier=b' })).map((w) => w.metadata?.name)).toEqual(['w']);
    expect((await client.list(WidgetKind, { fieldSelector: 'metadata.name!=w' })).map((w) => w.metadata?.name)).toEqual(
      ['seed'],
    );
    await expect(client.create(WidgetKind, { metadata: key })).rejects.toSatisfy(isAlreadyExists);
  });

  it('rejects an update with a stale resourceVersion as a conflict', async () => {
    const client = newFakeClient();
    const first = await client.create(WidgetKind, { metadata: key, spec: { size: 1 } });
    await client.update(WidgetKind, { ...first, spec: { size: 2 } });
    await expect(client.update(WidgetKind, { ...first, spec: { size: 3 } })).rejects.toSatisfy(isConflict);
    await expect(client.update(WidgetKind, { metadata: { namespace: 'ns', name: 'nope' } })).rejects.toSatisfy(
      isNotFound,
    );
  });

  it('bumps generation on spec changes only and writes status only through status()', async () => {
    const client = newFakeClient();
    const w = await client.create(WidgetKind, { metadata: key, spec: { size: 1 } });
    const ignored = await client.update(WidgetKind, { ...w, status: { ready: true } });
    expect(ignored.status).toBeUndefined();
    const withStatus = await client.status().update(WidgetKind, { ...ignored, status: { ready: true } });
    expect(withStatus.metadata?.generation).toBe(1);
    expect(withStatus.status).toEqual({ ready: true });
    const resized = await client.patch(WidgetKind, key, { type: 'merge', body: { spec: { size: 5 } } });
    expect(resized.metadata?.generation).toBe(2);
    expect(resized.status).toEqual({ ready: true });
  });

  it('keeps a deleted object with finalizers until the last one is removed', async () => {
    const client = newFakeClient();
    await client.create(WidgetKind, { metadata: { ...key, finalizers: ['a.io/x', 'b.io/y'] } });
    expect(await client.delete(WidgetKind, key)).toBe(true);
    const deleting = await client.get(WidgetKind, key);
    expect(deleting?.metadata?.deletionTimestamp).toBeTruthy();
    await expect(
      client.patch(WidgetKind, key, {
        type: 'json',
        operations: [
          { op: 'test', path: '/metadata/finalizers/0', value: 'b.io/y' },
          { op: 'remove', path: '/metadata/finalizers/0' },
        ],
      }),
    ).rejects.toThrow(/testing value \/metadata\/finalizers\/0 failed/);
    await client.patch(WidgetKind, key, {
      type: 'json',
      operations: [{ op: 'remove', path: '/metadata/finalizers/1' }],
    });
    await client.patch(WidgetKind, key, {
      type: 'json',
      operations: [{ op: 'remove', path: '/metadata/finalizers/0' }],
    });
    expect(await client.get(WidgetKind, key)).toBeUndefined();
    expect(await client.delete(WidgetKind, key)).toBe(false);
  });
});

describe('helpers on the fake client', () => {
  it('createOrUpdate creates, then updates only when mutate changes something', async () => {
    const client = newFakeClient();
    const mutate = (w: Widget) => {
      w.spec = { size: 3 };
    };
    expect((await createOrUpdate(client, WidgetKind, { metadata: key }, mutate)).result).toBe('created');
    const again = await createOrUpdate(client, WidgetKind, { metadata: key }, mutate);
    expect(again.result).toBe('unchanged');
    const changed = await createOrUpdate(client, WidgetKind, { metadata: key }, (w) => void (w.spec = { size: 4 }));
    expect(changed).toMatchObject({ result: 'updated', object: { spec: { size: 4 }, metadata: { generation: 2 } } });
    await expect(
      createOrUpdate(client, WidgetKind, { metadata: key }, (w) => void (w.metadata!.name = 'other')),
    ).rejects.toThrow(/must not change the object's name/);
  });

  it('createOrPatch patches spec and status separately', async () => {
    const client = newFakeClient();
    await client.create(WidgetKind, { metadata: key, spec: { size: 1 } });
    const result = await createOrPatch(client, WidgetKind, { metadata: key }, (w) => {
      w.spec = { size: 2 };
      w.status = { ready: true };
    });
    expect(result).toMatchObject({ result: 'updatedStatus', object: { spec: { size: 2 }, status: { ready: true } } });
  });

  it('finalize adds the finalizer before apply and removes it only after cleanup succeeds', async () => {
    const client = newFakeClient();
    const calls: string[] = [];
    const handlers = {
      apply: async () => (calls.push('apply'), {}),
      cleanup: async () => {
        calls.push('cleanup');
        if (calls.filter((c) => c === 'cleanup').length === 1) throw new Error('external system unavailable');
        return {};
      },
    };
    const created = await client.create(WidgetKind, { metadata: { ...key, finalizers: ['other.io/keep'] } });
    await finalize(client, WidgetKind, created, 'mine.io/cleanup', handlers);
    expect((await client.get(WidgetKind, key))?.metadata?.finalizers).toEqual(['other.io/keep', 'mine.io/cleanup']);
    await client.delete(WidgetKind, key);
    await expect(
      finalize(client, WidgetKind, (await client.get(WidgetKind, key))!, 'mine.io/cleanup', handlers),
    ).rejects.toThrow('external system unavailable');
    expect((await client.get(WidgetKind, key))?.metadata?.finalizers).toContain('mine.io/cleanup');
    await finalize(client, WidgetKind, (await client.get(WidgetKind, key))!, 'mine.io/cleanup', handlers);
    expect((await client.get(WidgetKind, key))?.metadata?.finalizers).toEqual(['other.io/keep']);
    expect(calls).toEqual(['apply', 'cleanup', 'cleanup']);
  });

  it('testReconcileContext gives a silent logger and a live signal', () => {
    const ctx = testReconcileContext({ controller: 'widget' });
    expect(ctx.signal.aborted).toBe(false);
    expect(ctx.controller).toBe('widget');
    expect(ctx.reconcileId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
