import { describe, expect, it } from 'vitest';
import type { KubeObject, ObjectKind } from '../types.js';
import { addFinalizerPatch, hasFinalizer, removeFinalizerPatch } from './finalizers.js';
import { applyMergePatch, createMergePatch } from './merge-patch.js';
import { AlreadyOwnedError, controllerOf, setControllerReference, setOwnerReference } from './owner.js';

const appKind: ObjectKind = {
  group: 'apps',
  version: 'v1',
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  plural: 'deployments',
  namespaced: true,
};

describe('finalizer patches', () => {
  it('appends to an existing list without replacing other finalizers', () => {
    expect(addFinalizerPatch({ metadata: { finalizers: ['other.io/x'] } }, 'mine.io/y')).toEqual([
      { op: 'add', path: '/metadata/finalizers/-', value: 'mine.io/y' },
    ]);
  });

  it('creates the list guarded by the resourceVersion it was read at', () => {
    expect(addFinalizerPatch({ metadata: { resourceVersion: '42' } }, 'mine.io/y')).toEqual([
      { op: 'test', path: '/metadata/resourceVersion', value: '42' },
      { op: 'add', path: '/metadata/finalizers', value: ['mine.io/y'] },
    ]);
  });

  it('removes at the exact index behind a test of that index', () => {
    const object = { metadata: { finalizers: ['a', 'mine.io/y', 'b'] } };
    expect(removeFinalizerPatch(object, 'mine.io/y')).toEqual([
      { op: 'test', path: '/metadata/finalizers/1', value: 'mine.io/y' },
      { op: 'remove', path: '/metadata/finalizers/1' },
    ]);
    expect(hasFinalizer(object, 'b')).toBe(true);
  });

  it('does nothing when there is nothing to add or remove', () => {
    expect(addFinalizerPatch({ metadata: { finalizers: ['x'] } }, 'x')).toBeUndefined();
    expect(removeFinalizerPatch({ metadata: {} }, 'x')).toBeUndefined();
  });
});

describe('merge patches', () => {
  it('computes the smallest patch, with nulls for removed keys, and applying it round-trips', () => {
    const before = { metadata: { labels: { a: '1', b: '2' } }, spec: { replicas: 1, ports: [80] } };
    const after = { metadata: { labels: { a: '1', c: '3' } }, spec: { replicas: 1, ports: [80, 443] } };
    const patch = createMergePatch(before, after);
    expect(patch).toEqual({ metadata: { labels: { b: null, c: '3' } }, spec: { ports: [80, 443] } });
    expect(applyMergePatch(before, patch)).toEqual(after);
    expect(createMergePatch(after, structuredClone(after))).toBeUndefined();
  });
});

describe('owner references', () => {
  const owner: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', uid: 'u1' },
  };

  it('sets a controller reference that blocks owner deletion', () => {
    const pod: KubeObject = { metadata: { name: 'p', namespace: 'ns' } };
    setControllerReference(owner, pod);
    setControllerReference(owner, pod);
    expect(pod.metadata?.ownerReferences).toEqual([
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true },
    ]);
    expect(controllerOf(pod)?.uid).toBe('u1');
  });

  it('refuses a second controller and cross-namespace owners', () => {
    const pod: KubeObject = { metadata: { name: 'p', namespace: 'ns' } };
    setControllerReference(owner, pod);
    const other = { metadata: { name: 'other', namespace: 'ns', uid: 'u2' } };
    expect(() => setControllerReference(other, pod, appKind)).toThrow(AlreadyOwnedError);
    expect(() => setOwnerReference(owner, { metadata: { name: 'q', namespace: 'elsewhere' } })).toThrow(
      /cross-namespace/,
    );
  });

  it('adds plain owner references next to the controller', () => {
    const pod: KubeObject = { metadata: { name: 'p', namespace: 'ns' } };
    setControllerReference(owner, pod);
    setOwnerReference({ metadata: { name: 'other', namespace: 'ns', uid: 'u2' } }, pod, appKind);
    setOwnerReference(owner, pod);
    expect(pod.metadata?.ownerReferences?.map((r) => [r.name, r.controller ?? false])).toEqual([
      ['web', true],
      ['other', false],
    ]);
  });
});
