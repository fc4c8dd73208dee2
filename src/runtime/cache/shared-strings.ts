/**
 * Equal strings held once. JSON.parse gives every string value longer than 10 characters a copy
 * of its own, so without this each cached object carries its own apiVersion
 * ("bench.example.com/v1"), namespace, owners' apiVersion and kind, and timestamps that the
 * objects created or changed in the same second all share. The watcher passes each object it
 * stores through `shareObjectStrings`, which swaps those strings, in place, for the copy seen
 * first: the same values, one copy in memory.
 */
import type { KubeObject, ObjectKind } from '../types.js';

/** Past this many strings the table starts over (strings already shared stay shared). */
const TABLE_LIMIT = 4096;

interface Condition {
  lastTransitionTime?: unknown;
  reason?: unknown;
}

export class SharedStrings {
  private readonly strings = new Map<string, string>();

  /** The first string seen equal to `value`; anything else is returned as it is. */
  share<V>(value: V): V {
    if (typeof value !== 'string') return value;
    const shared = this.strings.get(value);
    if (shared !== undefined) return shared as V;
    if (this.strings.size >= TABLE_LIMIT) this.strings.clear();
    this.strings.set(value, value);
    return value;
  }
}

/**
 * Replaces the strings that objects of one watch repeat with shared copies: apiVersion and kind
 * (the kind's own), namespace, creationTimestamp, owners' apiVersion and kind, and the
 * conditions' lastTransitionTime and reason. Returns the object.
 */
export function shareObjectStrings<T extends KubeObject>(object: T, kind: ObjectKind, strings: SharedStrings): T {
  if (object.apiVersion === kind.apiVersion) object.apiVersion = kind.apiVersion;
  if (object.kind === kind.kind) object.kind = kind.kind;
  const metadata = object.metadata;
  if (metadata) {
    if (metadata.namespace !== undefined) metadata.namespace = strings.share(metadata.namespace);
    if (metadata.creationTimestamp !== undefined)
      metadata.creationTimestamp = strings.share(metadata.creationTimestamp);
    for (const owner of metadata.ownerReferences ?? []) {
      owner.apiVersion = strings.share(owner.apiVersion);
      owner.kind = strings.share(owner.kind);
    }
  }
  const conditions = (object as { status?: { conditions?: unknown } }).status?.conditions;
  if (Array.isArray(conditions)) {
    for (const condition of conditions as (Condition | null)[]) {
      if (typeof condition !== 'object' || condition === null) continue;
      if (condition.lastTransitionTime !== undefined)
        condition.lastTransitionTime = strings.share(condition.lastTransitionTime);
      if (condition.reason !== undefined) condition.reason = strings.share(condition.reason);
    }
  }
  return object;
}
