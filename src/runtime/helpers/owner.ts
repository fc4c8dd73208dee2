/**
 * Owner references: the link garbage collection follows to delete dependents, and the link
 * `owns()` follows to reconcile the owner when a dependent changes. One owner may be the
 * controller (`controller: true`); an object has at most one.
 */
import type { V1OwnerReference } from '@kubernetes/client-node';
import type { KubeObject, ObjectKind } from '../types.js';

/** The object already has a different controlling owner. */
export class AlreadyOwnedError extends Error {
  constructor(
    readonly object: KubeObject,
    readonly owner: V1OwnerReference,
  ) {
    super(`object ${describe(object)} is already owned by another controller ${owner.kind} ${owner.name}`);
    this.name = 'AlreadyOwnedError';
  }
}

function describe(object: KubeObject): string {
  const m = object.metadata ?? {};
  return `${object.kind ?? 'object'} ${m.namespace ? `${m.namespace}/` : ''}${m.name ?? m.generateName ?? '<unnamed>'}`;
}

function referenceTo(owner: KubeObject, object: KubeObject, ownerKind: ObjectKind | undefined): V1OwnerReference {
  const apiVersion = ownerKind?.apiVersion ?? owner.apiVersion;
  const kind = ownerKind?.kind ?? owner.kind;
  const { name, uid, namespace } = owner.metadata ?? {};
  if (!apiVersion || !kind) throw new Error(`owner ${describe(owner)} has no apiVersion/kind: pass its ObjectKind`);
  if (!name || !uid) throw new Error(`owner ${describe(owner)} has no name or uid: read it from the apiserver first`);
  const objectNamespace = object.metadata?.namespace;
  if (namespace && ownerKind?.namespaced !== false) {
    if (!objectNamespace)
      throw new Error(`cluster-scoped ${describe(object)} cannot have namespaced owner ${describe(owner)}`);
    if (objectNamespace !== namespace)
      throw new Error(
        `cross-namespace owner references are disallowed: owner ${describe(owner)}, object ${describe(object)}`,
      );
  }
  return { apiVersion, kind, name, uid };
}

function sameOwner(a: V1OwnerReference, b: V1OwnerReference): boolean {
  return (
    a.uid === b.uid ||
    (a.kind === b.kind && a.name === b.name && a.apiVersion.split('/')[0] === b.apiVersion.split('/')[0])
  );
}

function upsert(object: KubeObject, reference: V1OwnerReference): void {
  object.metadata ??= {};
  const refs = (object.metadata.ownerReferences ??= []);
  const index = refs.findIndex((r) => sameOwner(r, reference));
  if (index >= 0) refs[index] = reference;
  else refs.push(reference);
}

/**
 * Makes `owner` the controller of `object` (in place): `controller: true`, `blockOwnerDeletion: true`.
 * Throws `AlreadyOwnedError` when another object controls it. Pass `ownerKind` when `owner` came
 * from a list without apiVersion/kind.
 */
export function setControllerReference(owner: KubeObject, object: KubeObject, ownerKind?: ObjectKind): void {
  const reference = { ...referenceTo(owner, object, ownerKind), controller: true, blockOwnerDeletion: true };
  const current = object.metadata?.ownerReferences?.find((r) => r.controller);
  if (current && !sameOwner(current, reference)) throw new AlreadyOwnedError(object, current);
  upsert(object, reference);
}

/** Adds (or refreshes) a non-controlling owner reference to `owner` on `object` (in place). */
export function setOwnerReference(owner: KubeObject, object: KubeObject, ownerKind?: ObjectKind): void {
  const reference = referenceTo(owner, object, ownerKind);
  const existing = object.metadata?.ownerReferences?.find((r) => sameOwner(r, reference));
  upsert(object, {
    ...reference,
    ...(existing?.controller ? { controller: true, blockOwnerDeletion: existing.blockOwnerDeletion } : {}),
  });
}

/** The controlling owner reference of `object`, if any. */
export function controllerOf(object: KubeObject): V1OwnerReference | undefined {
  return object.metadata?.ownerReferences?.find((r) => r.controller);
}
