import { describe, expect, it } from 'vitest';
import { WidgetKind } from '../../test/runtime/widget-kind.js';
import { ApiError, isConflict } from '../runtime/client/index.js';
import { ConfigMap } from '../runtime/index.js';
import { newFakeClient } from './fake-client.js';

const key = { namespace: 'ns', name: 'w' };

describe('fake client interceptors', () => {
  it('inject an error for one kind and call through for the others', async () => {
    const calls: string[] = [];
    const client = newFakeClient([], {
      interceptors: {
        async create(inner, kind, object, options) {
          calls.push(kind.kind);
          if (kind === ConfigMap) throw new ApiError('create', 409, { reason: 'Conflict', message: 'injected' });
          return inner.create(kind, object, options);
        },
      },
    });
    const error = await client.create(ConfigMap, { metadata: key }).catch((e: unknown) => e);
    expect(isConflict(error)).toBe(true);
    expect(await client.get(ConfigMap, key)).toBeUndefined();
    await client.create(WidgetKind, { metadata: key, spec: { size: 1 } });
    expect(client.objects(WidgetKind)).toHaveLength(1);
    expect(calls).toEqual(['ConfigMap', 'Widget']);
  });

  it('intercept status writes separately from the main resource', async () => {
    const client = newFakeClient([], {
      interceptors: {
        statusUpdate: async () => {
          throw new Error('status is read-only in this test');
        },
      },
    });
    const created = await client.create(WidgetKind, { metadata: key, spec: { size: 1 } });
    await client.update(WidgetKind, { ...created, spec: { size: 2 } });
    await expect(client.status().update(WidgetKind, { ...created, status: { phase: 'x' } })).rejects.toThrow(
      'status is read-only in this test',
    );
    await client.status().patch(WidgetKind, key, { type: 'merge', body: { status: { phase: 'Ready' } } });
    expect((await client.get(WidgetKind, key))?.status).toEqual({ phase: 'Ready' });
  });

  it('answer reads without the store', async () => {
    const client = newFakeClient([], {
      interceptors: {
        get: async (_inner, _kind, { name }) => ({ metadata: { name, labels: { from: 'hook' } } }) as never,
      },
    });
    expect((await client.get(ConfigMap, key))?.metadata?.labels).toEqual({ from: 'hook' });
  });
});

describe('fake client server-side apply', () => {
  it('refuses an apply without a field manager as the apiserver does', async () => {
    const error = await newFakeClient()
      .apply(WidgetKind, { metadata: key }, { fieldManager: '' })
      .catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(422);
    expect((error as Error).message).toContain('fieldManager: Required value');
  });

  it('keeps a set list (finalizers) item by item per manager', async () => {
    const client = newFakeClient();
    await client.apply(WidgetKind, { metadata: { ...key, finalizers: ['a/one'] } }, { fieldManager: 'one' });
    await client.apply(WidgetKind, { metadata: { ...key, finalizers: ['b/two'] } }, { fieldManager: 'two' });
    expect((await client.get(WidgetKind, key))?.metadata?.finalizers).toEqual(['a/one', 'b/two']);
    await client.apply(WidgetKind, { metadata: key }, { fieldManager: 'one' });
    const widget = await client.get(WidgetKind, key);
    expect(widget?.metadata?.finalizers).toEqual(['b/two']);
    expect(widget?.metadata?.managedFields?.map((m) => m.manager)).toEqual(['two']);
  });

  it('does not bump the resourceVersion for an apply that changes nothing', async () => {
    const client = newFakeClient();
    const first = await client.apply(WidgetKind, { metadata: key, spec: { size: 1 } }, { fieldManager: 'm' });
    const again = await client.apply(WidgetKind, { metadata: key, spec: { size: 1 } }, { fieldManager: 'm' });
    expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
  });
});
