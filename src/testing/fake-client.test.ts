import { describe, expect, it } from 'vitest';
import { defineClientScenarios } from '../../test/support/client-scenarios.js';
import { WidgetKind, type Widget } from '../../test/runtime/widget-kind.js';
import { ApiError } from '../runtime/client/index.js';
import { finalize } from '../runtime/index.js';
import { newFakeClient } from './fake-client.js';
import { testReconcileContext } from './reconcile-context.js';

// The rules the fake imitates, checked by the same scenarios on the real apiserver in
// test/runtime/client-scenarios.test.ts.
defineClientScenarios('fake client', async () => ({ client: newFakeClient(), namespace: 'ns' }));

const key = { namespace: 'ns', name: 'w' };

describe('fake client', () => {
  it('stores seed objects with server-set metadata and hands them out through objects()', async () => {
    const seed: Widget = { metadata: { ...key, labels: { tier: 'a' } }, spec: { size: 1 } };
    const client = newFakeClient([{ kind: WidgetKind, object: seed }]);
    const seeded = await client.get(WidgetKind, key);
    expect(seeded).toMatchObject({ apiVersion: 'data.kubeforge.io/v1', kind: 'Widget', metadata: { generation: 1 } });
    expect(seeded?.metadata?.uid).toBeTruthy();
    expect(seeded?.metadata?.resourceVersion).toBeTruthy();
    await client.create(WidgetKind, { metadata: { namespace: 'other', name: 'w' } });
    expect(client.objects(WidgetKind).map((w) => w.metadata?.namespace)).toEqual(['ns', 'other']);
  });

  it('refuses field selectors other than metadata.name and metadata.namespace', async () => {
    const error = await newFakeClient()
      .list(WidgetKind, { fieldSelector: 'spec.size=1' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toContain('field selector "spec.size=1" is not supported by the fake client');
  });
});

describe('helpers on the fake client', () => {
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
