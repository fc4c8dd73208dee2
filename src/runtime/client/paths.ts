/**
 * REST paths of resources: /api/v1/namespaces/ns/pods/name/status, /apis/apps/v1/deployments.
 */
import { objectKey } from '../keys.js';
import { kindName } from '../kinds.js';
import type { KubeObject, ObjectKey, ObjectKind } from '../types.js';

/** '/api/v1' for the core group, '/apis/<group>/<version>' otherwise. */
export function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/**
 * The path of a collection (no name) or one object. Namespaced kinds with no namespace address
 * all namespaces (lists and watches only); cluster-scoped kinds ignore the namespace.
 */
export function resourcePath(kind: ObjectKind, namespace?: string, name?: string, subresource?: string): string {
  let path = groupVersionPath(kind.group, kind.version);
  if (kind.namespaced && namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
  path += `/${kind.plural}`;
  if (name !== undefined) path += `/${encodeURIComponent(name)}`;
  if (subresource) path += `/${subresource}`;
  return path;
}

/** 'Deployment.apps/v1 "ns/name"' for error messages. */
export function describeRequest(verb: string, kind: ObjectKind, key?: ObjectKey): string {
  const target = key ? ` "${key.namespace && kind.namespaced ? `${key.namespace}/` : ''}${key.name}"` : '';
  return `${verb} ${kindName(kind)}${target}`;
}

/** The key of an object; throws when it has no name or a namespaced kind lacks a namespace. */
export function requireKey(kind: ObjectKind, object: KubeObject, verb: string): ObjectKey {
  const key = objectKey(object);
  if (!key) throw new Error(`${describeRequest(verb, kind)}: metadata.name is required`);
  return requireNamespace(kind, key, verb);
}

export function requireNamespace(kind: ObjectKind, key: ObjectKey, verb: string): ObjectKey {
  if (kind.namespaced && !key.namespace) {
    throw new Error(`${describeRequest(verb, kind, key)}: ${kind.kind} is namespaced, so a namespace is required`);
  }
  return kind.namespaced ? key : { name: key.name };
}
