/**
 * Event handlers turn an object event into the keys to reconcile: the object itself, its
 * owner (by owner reference, matched on group and kind), or whatever a map function returns.
 * On update both the old and the new object are mapped, so a changed owner or label moves the
 * work to the right keys.
 */
import type { KubeObject, ObjectKind, Request } from '../types.js';

/** Maps one object to the requests it should trigger. */
export type MapFunc<T extends KubeObject = KubeObject> = (object: T) => Request[];

function keyOf(object: KubeObject): Request[] {
  const { name, namespace } = object.metadata ?? {};
  if (!name) return [];
  return [namespace ? { namespace, name } : { name }];
}

/** Reconcile the object that changed. */
export function enqueueRequestForObject<T extends KubeObject>(): MapFunc<T> {
  return keyOf;
}

function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
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
          groupOf(ref.apiVersion) === ownerKind.group,
      )
      .map((ref) => (ownerKind.namespaced && namespace ? { namespace, name: ref.name } : { name: ref.name }));
  };
}

/** Reconcile whatever `map` returns for the object (e.g. every MicroService that mounts a ConfigMap). */
export function enqueueRequestsFromMapFunc<T extends KubeObject>(map: MapFunc<T>): MapFunc<T> {
  return map;
}

/** `namespace/name` (or `name` for cluster-scoped objects): the queue's key for a request. */
export function requestKey(request: Request): string {
  return request.namespace ? `${request.namespace}/${request.name}` : request.name;
}

export function requestFromKey(key: string): Request {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
