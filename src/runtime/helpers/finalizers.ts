/**
 * Finalizers, written so that two controllers sharing an object never drop each other's entry:
 * adding appends (`/metadata/finalizers/-`), removing patches with a JSON-patch `test` on the
 * exact index first, so a list that changed since it was read makes the patch fail (and the
 * reconcile retry) instead of removing somebody else's finalizer.
 *
 * `finalize` is the apply/cleanup contract on top (as kube-rs's finalizer helper):
 * - object alive, finalizer missing → add it, then `apply`;
 * - object alive, finalizer present → `apply`;
 * - object deleting, finalizer present → `cleanup`; only when it returns without throwing is the
 *   finalizer removed, letting the apiserver delete the object;
 * - object deleting, finalizer absent → nothing (another controller's finalizer holds it).
 * `cleanup` must be idempotent: it can run again if removing the finalizer fails.
 */
import { requireObjectKey } from '../keys.js';
import type { Client, JsonPatchOperation, KubeObject, ObjectKind, Result } from '../types.js';

export function hasFinalizer(object: KubeObject, finalizer: string): boolean {
  return object.metadata?.finalizers?.includes(finalizer) ?? false;
}

const MISSING_NAME = 'finalizers: the object has no metadata.name';

/** The JSON patch that adds `finalizer`, or `undefined` when it is already there. */
export function addFinalizerPatch(object: KubeObject, finalizer: string): JsonPatchOperation[] | undefined {
  const finalizers = object.metadata?.finalizers;
  if (finalizers?.includes(finalizer)) return undefined;
  if (finalizers) return [{ op: 'add', path: '/metadata/finalizers/-', value: finalizer }];
  const rv = object.metadata?.resourceVersion;
  const guard: JsonPatchOperation[] = rv ? [{ op: 'test', path: '/metadata/resourceVersion', value: rv }] : [];
  return [...guard, { op: 'add', path: '/metadata/finalizers', value: [finalizer] }];
}

/** The JSON patch that removes `finalizer` at its index, guarded by a `test` of that index; `undefined` when absent. */
export function removeFinalizerPatch(object: KubeObject, finalizer: string): JsonPatchOperation[] | undefined {
  const index = object.metadata?.finalizers?.indexOf(finalizer) ?? -1;
  if (index < 0) return undefined;
  const path = `/metadata/finalizers/${index}`;
  return [
    { op: 'test', path, value: finalizer },
    { op: 'remove', path },
  ];
}

/** Adds `finalizer` to the object on the apiserver; returns the updated object (or `object` if nothing to do). */
export async function addFinalizer<T extends KubeObject>(
  client: Client,
  kind: ObjectKind<T>,
  object: T,
  finalizer: string,
): Promise<T> {
  const operations = addFinalizerPatch(object, finalizer);
  return operations ? client.patch(kind, requireObjectKey(object, MISSING_NAME), { type: 'json', operations }) : object;
}

/** Removes `finalizer` from the object on the apiserver; fails (to be retried) if the list changed meanwhile. */
export async function removeFinalizer<T extends KubeObject>(
  client: Client,
  kind: ObjectKind<T>,
  object: T,
  finalizer: string,
): Promise<T> {
  const operations = removeFinalizerPatch(object, finalizer);
  return operations ? client.patch(kind, requireObjectKey(object, MISSING_NAME), { type: 'json', operations }) : object;
}

export interface FinalizerHandlers<T> {
  /** Bring the world in line with the object (the normal reconcile). */
  apply(object: T): Promise<Result>;
  /** Release what the object holds outside the cluster; idempotent. */
  cleanup(object: T): Promise<Result>;
}

/** Runs `apply` or `cleanup` under `finalizer` per the contract in this file's header. */
export async function finalize<T extends KubeObject>(
  client: Client,
  kind: ObjectKind<T>,
  object: T,
  finalizer: string,
  handlers: FinalizerHandlers<T>,
): Promise<Result> {
  if (object.metadata?.deletionTimestamp) {
    if (!hasFinalizer(object, finalizer)) return {};
    const result = await handlers.cleanup(object);
    await removeFinalizer(client, kind, object, finalizer);
    return result;
  }
  const current = await addFinalizer(client, kind, object, finalizer);
  return handlers.apply(current);
}
