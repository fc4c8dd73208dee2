/**
 * Object keys: `{ namespace, name }` of an object (no namespace for cluster-scoped ones) and its
 * string form `namespace/name`, which the store indexes objects by and the work queue holds.
 */
import type { KubeObject, ObjectKey } from './types.js';

/** The key of `object`, without a namespace when it has none; `undefined` when it has no name. */
export function objectKey(object: KubeObject): ObjectKey | undefined {
  const { name, namespace } = object.metadata ?? {};
  if (!name) return undefined;
  return namespace ? { namespace, name } : { name };
}

/** The key of `object`; throws `new Error(missingName)` when it has no name. */
export function requireObjectKey(object: KubeObject, missingName: string): ObjectKey {
  const key = objectKey(object);
  if (!key) throw new Error(missingName);
  return key;
}

/** 'ns/name', or 'name' for cluster-scoped objects. */
export function keyString(key: ObjectKey): string {
  return key.namespace ? `${key.namespace}/${key.name}` : key.name;
}

/** The `keyString` of an object ('' for the name when it has none). */
export function objectKeyString(object: KubeObject): string {
  return keyString({ namespace: object.metadata?.namespace, name: object.metadata?.name ?? '' });
}

/** The key a `keyString` was made from. */
export function keyFromString(key: string): ObjectKey {
  const slash = key.indexOf('/');
  return slash < 0 ? { name: key } : { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
