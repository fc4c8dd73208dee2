import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../types.js';
import { CONTROLLER_UID_INDEX, NAMESPACE_INDEX, OWNER_UID_INDEX, Store } from './store.js';

function obj(
  namespace: string,
  name: string,
  resourceVersion: string,
  extra: Partial<NonNullable<KubeObject['metadata']>> = {},
): KubeObject {
  return { metadata: { namespace, name, resourceVersion, ...extra } };
}

describe('Store', () => {
  it('keys objects by namespace/name and replaces on upsert', () => {
    const store = new Store();
    expect(store.upsert(obj('a', 'x', '1'))).toBeUndefined();
    const old = store.get({ namespace: 'a', name: 'x' });
    expect(store.upsert(obj('a', 'x', '2'))).toBe(old);
    expect(store.get('a/x')?.metadata?.resourceVersion).toBe('2');
    expect(store.size).toBe(1);
    expect(store.remove('a/x')?.metadata?.resourceVersion).toBe('2');
    expect(store.remove('a/x')).toBeUndefined();
  });

  it('indexes by namespace, owner UID and controller UID, and keeps indexes right across updates', () => {
    const store = new Store();
    const owners = [
      { apiVersion: 'v1', kind: 'A', name: 'o', uid: 'u-1', controller: true },
      { apiVersion: 'v1', kind: 'B', name: 'p', uid: 'u-2' },
    ];
    store.upsert(obj('a', 'x', '1', { ownerReferences: owners }));
    store.upsert(obj('b', 'y', '1', { ownerReferences: [owners[1]] }));
    expect(store.byIndex(NAMESPACE_INDEX, 'a').map((o) => o.metadata?.name)).toEqual(['x']);
    expect(
      store
        .byIndex(OWNER_UID_INDEX, 'u-2')
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['x', 'y']);
    expect(store.byIndex(CONTROLLER_UID_INDEX, 'u-1').map((o) => o.metadata?.name)).toEqual(['x']);
    expect(store.byIndex(CONTROLLER_UID_INDEX, 'u-2')).toEqual([]);

    store.upsert(obj('a', 'x', '2'));
    expect(store.byIndex(OWNER_UID_INDEX, 'u-1')).toEqual([]);
    expect(store.byIndex(OWNER_UID_INDEX, 'u-2').map((o) => o.metadata?.name)).toEqual(['y']);
  });

  it('fills a custom index from existing objects and refuses duplicate or unknown index names', () => {
    const store = new Store();
    store.upsert(obj('a', 'x', '1', { labels: { team: 'red' } }));
    store.addIndex('team', (o) => (o.metadata?.labels?.team ? [o.metadata.labels.team] : []));
    store.upsert(obj('a', 'y', '1', { labels: { team: 'red' } }));
    expect(store.byIndex('team', 'red').map((o) => o.metadata?.name)).toEqual(['x', 'y']);
    expect(() => store.addIndex('team', () => [])).toThrow('an index named "team" already exists');
    expect(() => store.byIndex('nope', 'x')).toThrow('no index named "nope"');
  });

  it('replaces on relist with adds, updates by resourceVersion and synthesised deletes', () => {
    const store = new Store();
    const kept = obj('a', 'kept', '1');
    store.upsert(kept);
    store.upsert(obj('a', 'changed', '1'));
    store.upsert(obj('a', 'gone', '1'));

    const result = store.replace([obj('a', 'kept', '1'), obj('a', 'changed', '2'), obj('a', 'new', '3')]);
    expect(result.added.map((o) => o.metadata?.name)).toEqual(['new']);
    expect(result.updated.map(([o, n]) => `${o.metadata?.resourceVersion}->${n.metadata?.resourceVersion}`)).toEqual([
      '1->2',
    ]);
    expect(result.deleted.map((o) => o.metadata?.name)).toEqual(['gone']);
    expect(store.get('a/kept')).toBe(kept);
    expect(
      store
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['changed', 'kept', 'new']);
    expect(store.byIndex(NAMESPACE_INDEX, 'a')).toHaveLength(3);
  });

  it('lets a reader holding the old list keep a consistent view while a relist swaps in', () => {
    const store = new Store();
    for (let i = 0; i < 100; i++) store.upsert(obj('a', `o${i}`, '1'));
    const before = store.list();
    store.replace([obj('a', 'only', '2')]);
    expect(before).toHaveLength(100);
    expect(store.list().map((o) => o.metadata?.name)).toEqual(['only']);
    expect(store.byIndex(NAMESPACE_INDEX, 'a').map((o) => o.metadata?.name)).toEqual(['only']);
  });

  it('replaces one namespace and leaves the others alone', () => {
    const store = new Store();
    store.upsert(obj('a', 'stays', '1'));
    store.upsert(obj('b', 'old', '1'));
    const result = store.replace([obj('b', 'new', '2')], 'b');
    expect(result.deleted.map((o) => o.metadata?.name)).toEqual(['old']);
    expect(result.added.map((o) => o.metadata?.name)).toEqual(['new']);
    expect(
      store
        .list()
        .map((o) => `${o.metadata?.namespace}/${o.metadata?.name}`)
        .sort(),
    ).toEqual(['a/stays', 'b/new']);
    expect(store.byIndex(NAMESPACE_INDEX, 'a')).toHaveLength(1);
  });

  it('keeps an index value right as it goes from one object to several and back to none', () => {
    const store = new Store();
    const owner = [{ apiVersion: 'v1', kind: 'A', name: 'o', uid: 'u-1', controller: true }];
    const names = () =>
      store
        .byIndex(OWNER_UID_INDEX, 'u-1')
        .map((o) => o.metadata?.name)
        .sort();
    for (const name of ['x', 'y', 'z']) store.upsert(obj('a', name, '1', { ownerReferences: owner }));
    expect(names()).toEqual(['x', 'y', 'z']);
    store.upsert(obj('a', 'y', '2', { ownerReferences: owner }));
    expect(names()).toEqual(['x', 'y', 'z']);
    store.remove({ namespace: 'a', name: 'x' });
    store.remove('a/z');
    expect(names()).toEqual(['y']);
    expect(store.byIndex(CONTROLLER_UID_INDEX, 'u-1').map((o) => o.metadata?.resourceVersion)).toEqual(['2']);
    store.upsert(obj('b', 'w', '1', { ownerReferences: owner }));
    expect(names()).toEqual(['w', 'y']);
    store.remove('a/y');
    store.remove('b/w');
    expect(names()).toEqual([]);
    expect(store.size).toBe(0);
    expect(store.byIndex(NAMESPACE_INDEX, 'a')).toEqual([]);
  });

  it('holds cluster-scoped objects by name, outside every namespace', () => {
    const store = new Store();
    store.upsert({ metadata: { name: 'node-1', resourceVersion: '1' } });
    store.upsert(obj('a', 'node-1', '1'));
    expect(store.get({ name: 'node-1' })?.metadata?.namespace).toBeUndefined();
    expect(store.get('a/node-1')?.metadata?.namespace).toBe('a');
    expect(store.byIndex(NAMESPACE_INDEX, '')).toEqual([]);
    expect(store.list()).toHaveLength(2);
    expect(store.remove('node-1')?.metadata?.namespace).toBeUndefined();
    expect(store.size).toBe(1);
  });
});
