/**
 * The apiserver rules a reconciler depends on, and the `createOrUpdate` / `createOrPatch`
 * helpers on top of them, written once and run against two clients: the fake of
 * `kubeforge/testing` (src/testing/fake-client.test.ts) and a real client on the shared envtest
 * control plane (test/runtime/client-scenarios.test.ts). The fake claims to imitate these rules;
 * the real apiserver is what says they are right. Every scenario uses the Widget custom resource
 * (status subresource) of test/runtime/widget-kind.ts.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import {
  addFinalizer,
  ApiError,
  createOrPatch,
  createOrUpdate,
  removeFinalizer,
  type Client,
} from '../../src/runtime/index.js';
import { WidgetKind, type Widget } from '../runtime/widget-kind.js';

/** A client to run the scenarios with, and a namespace of its own for each scenario. */
export interface ClientUnderTest {
  client: Client;
  namespace: string;
}

const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** The status and reason a write was refused with (fails the test if it was not refused by the apiserver). */
async function refusal(write: Promise<unknown>): Promise<{ status: number; reason: string }> {
  const error = await write.then(
    () => new Error('the request succeeded'),
    (e: unknown) => e,
  );
  if (!(error instanceof ApiError)) throw error;
  return { status: error.status, reason: error.reason };
}

export function defineClientScenarios(clientName: string, makeClient: () => Promise<ClientUnderTest>): void {
  let client: Client;
  let namespace: string;
  const key = (name: string) => ({ namespace, name });
  const widget = (name: string, spec: Widget['spec'] = { size: 1 }, metadata: Widget['metadata'] = {}): Widget => ({
    metadata: { ...metadata, namespace, name },
    spec,
  });
  const get = (name: string) => client.get(WidgetKind, key(name));

  beforeEach(async () => {
    ({ client, namespace } = await makeClient());
  });

  describe(`${clientName}: apiserver rules`, () => {
    it('create sets uid, creationTimestamp (an RFC 3339 string), generation 1 and resourceVersion, and drops status', async () => {
      const created = await client.create(WidgetKind, { ...widget('new'), status: { phase: 'Ready' } });
      expect(created).toMatchObject({ apiVersion: 'data.kubeforge.io/v1', kind: 'Widget', spec: { size: 1 } });
      expect(created.metadata).toMatchObject({ generation: 1, uid: expect.any(String) });
      expect(created.metadata?.resourceVersion).toMatch(/^\d+$/);
      expect(created.metadata?.creationTimestamp).toMatch(RFC3339_SECONDS);
      expect(created.status).toBeUndefined();
      expect(await get('new')).toEqual(created);
    });

    it('create of an existing name is refused with 409 AlreadyExists and leaves the object alone', async () => {
      const first = await client.create(WidgetKind, widget('twice', { size: 1 }));
      expect(await refusal(client.create(WidgetKind, widget('twice', { size: 2 })))).toEqual({
        status: 409,
        reason: 'AlreadyExists',
      });
      expect(await get('twice')).toEqual(first);
    });

    it('get of a missing object is undefined; writes to it are 404 NotFound; delete says false', async () => {
      expect(await get('missing')).toBeUndefined();
      const notFound = { status: 404, reason: 'NotFound' };
      const stale = { ...widget('missing'), metadata: { namespace, name: 'missing', resourceVersion: '1' } };
      expect(await refusal(client.update(WidgetKind, stale))).toEqual(notFound);
      expect(await refusal(client.status().update(WidgetKind, stale))).toEqual(notFound);
      expect(
        await refusal(client.patch(WidgetKind, key('missing'), { type: 'merge', body: { spec: { size: 2 } } })),
      ).toEqual(notFound);
      expect(await client.delete(WidgetKind, key('missing'))).toBe(false);
    });

    it('a write carrying a stale resourceVersion is a 409 Conflict and changes nothing', async () => {
      const first = await client.create(WidgetKind, widget('stale', { size: 1 }));
      const second = await client.update(WidgetKind, { ...first, spec: { size: 2 } });
      const conflict = { status: 409, reason: 'Conflict' };
      expect(await refusal(client.update(WidgetKind, { ...first, spec: { size: 3 } }))).toEqual(conflict);
      expect(await refusal(client.status().update(WidgetKind, { ...first, status: { phase: 'Stale' } }))).toEqual(
        conflict,
      );
      const stalePatch = { metadata: { resourceVersion: first.metadata?.resourceVersion }, spec: { size: 4 } };
      expect(await refusal(client.patch(WidgetKind, key('stale'), { type: 'merge', body: stalePatch }))).toEqual(
        conflict,
      );
      expect(
        await refusal(
          client.delete(WidgetKind, key('stale'), {
            preconditions: { resourceVersion: first.metadata?.resourceVersion },
          }),
        ),
      ).toEqual(conflict);
      expect(await get('stale')).toEqual(second);
    });

    it('an update without resourceVersion is refused as Invalid: custom resources allow no unconditional update', async () => {
      const created = await client.create(WidgetKind, widget('unconditional', { size: 1 }));
      const { resourceVersion: _rv, ...metadata } = created.metadata!;
      const invalid = { status: 422, reason: 'Invalid' };
      expect(await refusal(client.update(WidgetKind, { ...created, metadata, spec: { size: 2 } }))).toEqual(invalid);
      expect(
        await refusal(client.status().update(WidgetKind, { ...created, metadata, status: { phase: 'x' } })),
      ).toEqual(invalid);
      expect(await get('unconditional')).toEqual(created);
    });

    it('generation moves with spec changes only, not with metadata or status changes; a no-op update writes nothing', async () => {
      const created = await client.create(WidgetKind, widget('generation', { size: 1, color: 'blue' }));
      const labelled = await client.update(WidgetKind, {
        ...created,
        metadata: { ...created.metadata, labels: { tier: 'a' }, annotations: { note: 'x' } },
        spec: { size: 1, color: 'blue' },
      });
      expect(labelled.metadata?.generation).toBe(1);
      expect(labelled.metadata?.resourceVersion).not.toBe(created.metadata?.resourceVersion);
      const withStatus = await client.status().update(WidgetKind, { ...labelled, status: { phase: 'Ready' } });
      expect(withStatus.metadata?.generation).toBe(1);
      const resized = await client.update(WidgetKind, { ...withStatus, spec: { size: 2, color: 'blue' } });
      expect(resized.metadata?.generation).toBe(2);
      const patched = await client.patch(WidgetKind, key('generation'), {
        type: 'merge',
        body: { spec: { color: 'red' } },
      });
      expect(patched.metadata?.generation).toBe(3);
      const again = await client.update(WidgetKind, { ...patched, spec: { size: 2, color: 'red' } });
      expect(again).toEqual(patched);
      expect(await get('generation')).toMatchObject({
        spec: { size: 2, color: 'red' },
        status: { phase: 'Ready' },
        metadata: { generation: 3, labels: { tier: 'a' } },
      });
    });

    it('writes of the object ignore status; status writes ignore everything but status', async () => {
      const created = await client.create(WidgetKind, widget('status', { size: 1 }, { labels: { tier: 'a' } }));
      const ignored = await client.update(WidgetKind, { ...created, status: { phase: 'Ignored' } });
      expect(ignored.status).toBeUndefined();
      expect(ignored.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
      const written = await client.status().update(WidgetKind, {
        ...ignored,
        metadata: { ...ignored.metadata, labels: { tier: 'b' } },
        spec: { size: 9 },
        status: { phase: 'Ready' },
      });
      expect(written).toMatchObject({
        spec: { size: 1 },
        status: { phase: 'Ready' },
        metadata: { labels: { tier: 'a' } },
      });
      const { status: _status, ...withoutStatus } = written;
      const resized = await client.update(WidgetKind, { ...withoutStatus, spec: { size: 2 } });
      expect(resized.status).toEqual({ phase: 'Ready' });
      const statusPatched = await client.status().patch(WidgetKind, key('status'), {
        type: 'merge',
        body: { spec: { size: 7 }, status: { observedSize: 2 } },
      });
      expect(statusPatched).toMatchObject({ spec: { size: 2 }, status: { phase: 'Ready', observedSize: 2 } });
      const patched = await client.patch(WidgetKind, key('status'), {
        type: 'merge',
        body: { spec: { size: 3 }, status: { phase: 'Ignored' } },
      });
      expect(patched).toMatchObject({ spec: { size: 3 }, status: { phase: 'Ready', observedSize: 2 } });
      expect(await get('status')).toEqual(patched);
    });

    it('a delete with finalizers sets deletionTimestamp and keeps the object until the last finalizer is removed', async () => {
      await client.create(WidgetKind, widget('finalized', { size: 1 }, { finalizers: ['a.io/x', 'b.io/y'] }));
      expect(await client.delete(WidgetKind, key('finalized'))).toBe(true);
      const deleting = (await get('finalized'))!;
      expect(deleting.metadata).toMatchObject({
        finalizers: ['a.io/x', 'b.io/y'],
        deletionGracePeriodSeconds: 0,
        generation: 2,
      });
      expect(deleting.metadata?.deletionTimestamp).toMatch(RFC3339_SECONDS);
      expect(await client.delete(WidgetKind, key('finalized'))).toBe(true);
      expect(await get('finalized')).toEqual(deleting);
      const resized = await client.update(WidgetKind, { ...deleting, spec: { size: 2 } });
      expect(resized.metadata?.deletionTimestamp).toBe(deleting.metadata?.deletionTimestamp);
      const one = await removeFinalizer(client, WidgetKind, resized, 'a.io/x');
      expect(one.metadata?.finalizers).toEqual(['b.io/y']);
      expect((await get('finalized'))?.metadata?.finalizers).toEqual(['b.io/y']);
      await removeFinalizer(client, WidgetKind, one, 'b.io/y');
      expect(await get('finalized')).toBeUndefined();
      expect(await client.delete(WidgetKind, key('finalized'))).toBe(false);
    });

    it('no finalizer can be added to an object being deleted (422 Invalid)', async () => {
      await client.create(WidgetKind, widget('closing', { size: 1 }, { finalizers: ['a.io/x'] }));
      await client.delete(WidgetKind, key('closing'));
      const deleting = (await get('closing'))!;
      const invalid = { status: 422, reason: 'Invalid' };
      expect(await refusal(addFinalizer(client, WidgetKind, deleting, 'b.io/y'))).toEqual(invalid);
      const swapped = { ...deleting, metadata: { ...deleting.metadata, finalizers: ['b.io/y'] } };
      expect(await refusal(client.update(WidgetKind, swapped))).toEqual(invalid);
      expect(await get('closing')).toEqual(deleting);
    });

    it("removing a finalizer read at a stale index is refused as Invalid and drops nobody else's entry", async () => {
      const stale = await client.create(
        WidgetKind,
        widget('shared', { size: 1 }, { finalizers: ['a.io/x', 'b.io/y'] }),
      );
      const removed = await removeFinalizer(client, WidgetKind, stale, 'a.io/x');
      await addFinalizer(client, WidgetKind, removed, 'c.io/z');
      expect(await refusal(removeFinalizer(client, WidgetKind, stale, 'b.io/y'))).toEqual({
        status: 422,
        reason: 'Invalid',
      });
      expect((await get('shared'))?.metadata?.finalizers).toEqual(['b.io/y', 'c.io/z']);
    });

    it('lists a namespace by label selector and metadata.name field selector, in name order', async () => {
      for (const [name, tier] of [
        ['c', 'a'],
        ['a', 'a'],
        ['b', 'b'],
      ])
        await client.create(WidgetKind, widget(name, { size: 1 }, { labels: { tier } }));
      const names = async (options: { labelSelector?: string; fieldSelector?: string }) =>
        (await client.list(WidgetKind, { namespace, ...options })).map((w) => w.metadata?.name);
      expect(await names({})).toEqual(['a', 'b', 'c']);
      expect(await names({ labelSelector: 'tier=a' })).toEqual(['a', 'c']);
      expect(await names({ fieldSelector: 'metadata.name!=a' })).toEqual(['b', 'c']);
    });

    it('lists and deletes by matchingFields (sent as a field selector), leaving the other objects', async () => {
      for (const name of ['a', 'b', 'c']) await client.create(WidgetKind, widget(name, { size: 1 }));
      const names = async () => (await client.list(WidgetKind, { namespace })).map((w) => w.metadata?.name);
      const matching = await client.list(WidgetKind, { namespace, matchingFields: { 'metadata.name': 'b' } });
      expect(matching.map((w) => w.metadata?.name)).toEqual(['b']);
      await client.deleteAllOf(WidgetKind, { namespace, matchingFields: { 'metadata.name': 'a' } });
      expect(await names()).toEqual(['b', 'c']);
    });
  });

  describe(`${clientName}: createOrUpdate and createOrPatch`, () => {
    const sized = (size: number) => (w: Widget) => {
      w.spec = { ...w.spec, size };
    };

    it('createOrUpdate creates, leaves an unchanged object unwritten, and updates what mutate changed', async () => {
      const created = await createOrUpdate(client, WidgetKind, { metadata: key('cou') }, sized(1));
      expect(created).toMatchObject({ result: 'created', object: { spec: { size: 1 }, metadata: { generation: 1 } } });
      const unchanged = await createOrUpdate(client, WidgetKind, { metadata: key('cou') }, sized(1));
      expect(unchanged.result).toBe('unchanged');
      expect(unchanged.object).toEqual(created.object);
      const updated = await createOrUpdate(client, WidgetKind, { metadata: key('cou') }, sized(2));
      expect(updated).toMatchObject({ result: 'updated', object: { spec: { size: 2 }, metadata: { generation: 2 } } });
      expect(await get('cou')).toEqual(updated.object);
      await expect(
        createOrUpdate(client, WidgetKind, { metadata: key('cou') }, (w) => void (w.metadata!.name = 'other')),
      ).rejects.toThrow(/must not change the object's name/);
    });

    it('createOrUpdate writes no status: not when it creates, not when it updates', async () => {
      const withStatus = (w: Widget) => {
        w.spec = { size: 1 };
        w.status = { phase: 'Pending' };
      };
      const created = await createOrUpdate(client, WidgetKind, { metadata: key('cou-status') }, withStatus);
      expect(created.object.status).toBeUndefined();
      await client.status().update(WidgetKind, { ...created.object, status: { phase: 'Ready' } });
      const before = (await get('cou-status'))!;
      const after = await createOrUpdate(client, WidgetKind, { metadata: key('cou-status') }, withStatus);
      expect(after.object).toEqual(before);
      expect(await get('cou-status')).toEqual(before);
    });

    it('createOrPatch creates without status, then patches the object and the status subresource apart', async () => {
      const mutate = (size: number, status: Widget['status']) => (w: Widget) => {
        w.spec = { size };
        w.status = status;
      };
      const at = { metadata: key('cop') };
      const created = await createOrPatch(client, WidgetKind, at, mutate(1, { phase: 'Pending' }));
      expect(created).toMatchObject({ result: 'created', object: { spec: { size: 1 } } });
      expect(created.object.status).toBeUndefined();
      const statusOnly = await createOrPatch(client, WidgetKind, at, mutate(1, { phase: 'Ready' }));
      expect(statusOnly).toMatchObject({ result: 'updatedStatusOnly', object: { metadata: { generation: 1 } } });
      expect(statusOnly.object.status).toEqual({ phase: 'Ready' });
      const both = await createOrPatch(client, WidgetKind, at, mutate(2, { phase: 'Ready', observedSize: 2 }));
      expect(both).toMatchObject({
        result: 'updatedStatus',
        object: { spec: { size: 2 }, status: { phase: 'Ready', observedSize: 2 }, metadata: { generation: 2 } },
      });
      const specOnly = await createOrPatch(client, WidgetKind, at, mutate(3, { phase: 'Ready', observedSize: 2 }));
      expect(specOnly).toMatchObject({ result: 'updated', object: { spec: { size: 3 }, metadata: { generation: 3 } } });
      const unchanged = await createOrPatch(client, WidgetKind, at, mutate(3, { phase: 'Ready', observedSize: 2 }));
      expect(unchanged.result).toBe('unchanged');
      expect(unchanged.object).toEqual(specOnly.object);
      expect(await get('cop')).toEqual(specOnly.object);
    });

    it('a custom resource comes back with its keys in name order; the helpers see no change in keys set in another order', async () => {
      const created = await client.create(WidgetKind, widget('order', { size: 1, color: 'red' }));
      expect(Object.keys(created.spec!)).toEqual(['color', 'size']);
      await client.status().update(WidgetKind, { ...created, status: { phase: 'Ready', observedSize: 1 } });
      const before = (await get('order'))!;
      expect(Object.keys(before.status!)).toEqual(['observedSize', 'phase']);
      const same = (w: Widget) => {
        w.spec = { size: 1, color: 'red' };
        w.status = { phase: 'Ready', observedSize: 1 };
      };
      expect(await createOrUpdate(client, WidgetKind, { metadata: key('order') }, same)).toEqual({
        result: 'unchanged',
        object: before,
      });
      expect(await createOrPatch(client, WidgetKind, { metadata: key('order') }, same)).toEqual({
        result: 'unchanged',
        object: before,
      });
    });

    it('createOrPatch removes what mutate deleted, with a merge patch that bumps no generation for metadata', async () => {
      await client.create(WidgetKind, widget('cop-labels', { size: 1, color: 'red' }, { labels: { a: '1', b: '2' } }));
      const patched = await createOrPatch(client, WidgetKind, { metadata: key('cop-labels') }, (w) => {
        delete w.metadata!.labels!.b;
      });
      expect(patched).toMatchObject({ result: 'updated', object: { metadata: { labels: { a: '1' }, generation: 1 } } });
      const uncoloured = await createOrPatch(client, WidgetKind, { metadata: key('cop-labels') }, (w) => {
        delete w.spec!.color;
      });
      expect(uncoloured.object).toMatchObject({ spec: { size: 1 }, metadata: { generation: 2 } });
      expect(uncoloured.object.spec?.color).toBeUndefined();
      expect(await get('cop-labels')).toEqual(uncoloured.object);
    });
  });
}
