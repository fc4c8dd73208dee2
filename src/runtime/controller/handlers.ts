/**
 * Event handlers turn an object event into the keys to reconcile: the object itself, its
 * owner (by owner reference, matched on group and kind), or whatever a map function returns.
 * On update both the old and the new object are mapped, so a changed owner or label moves the
 * work to the right keys; a key both map to is queued once (one update, one reconcile).
 */
import { objectKey } from '../keys.js';
import { parseApiVersion } from '../kinds.js';
import type { KubeObject, ObjectKind, Request } from '../types.js';

/**
 * Maps one object to the requests it should trigger. It may be async, e.g. to list the objects
 * that reference it from the cache (`client.list(kind, { matchingFields })`); a rejection is
 * logged and the event dropped.
 */
export type MapFunc<T extends KubeObject = KubeObject> = (object: T) => Request[] | Promise<Request[]>;

function objectRequest(object: KubeObject): Request[] {
  const key = objectKey(object);
  return key ? [key] : [];
}

/** Reconcile the object that changed. */
export function enqueueRequestForObject<T extends KubeObject>(): MapFunc<T> {
  return objectRequest;
}

/**
 * Reconcile the owner of type `ownerKind` named in the object's owner references (only the
 * controlling one unless `onlyController` is false). Namespaced owners live in the object's namespace.
 */
export function enqueueRequestForOwner<T extends KubeObject>(
  ownerKind: ObjectKind,
  options: { onlyController?: boolean } = {},
): MapFunc<T> {
  const onlyController = options.onlyController ?? true;
  return (object) => {
    const namespace = object.metadata?.namespace;
    return (object.metadata?.ownerReferences ?? [])
      .filter(
        (ref) =>
          (!onlyController || ref.controller) &&
          ref.kind === ownerKind.kind &&
          parseApiVersion(ref.apiVersion).group === ownerKind.group,
      )
      .map((ref) => (ownerKind.namespaced && namespace ? { namespace, name: ref.name } : { name: ref.name }));
  };
}

/** Reconcile whatever `map` returns for the object (e.g. every MicroService that mounts a ConfigMap). */
export function enqueueRequestsFromMapFunc<T extends KubeObject>(map: MapFunc<T>): MapFunc<T> {
  return map;
}
