/**
 * The store behind an informer: one copy of each object keyed by namespace/name, with indexes
 * (namespace and owner UID built in, custom ones added by name). A relist is built aside and
 * swapped in at once, so readers see the old state or the new one, never a mix.
 */
import { keyString, objectKeyString } from '../keys.js';
import type { IndexFunc, KubeObject, ObjectKey } from '../types.js';

/** Index of objects by the UIDs of their ownerReferences. */
export const OWNER_UID_INDEX = 'metadata.ownerReferences.uid';
/** Index of objects by the UID of their controller ownerReference only. */
export const CONTROLLER_UID_INDEX = 'metadata.ownerReferences.controller.uid';
export const NAMESPACE_INDEX = 'metadata.namespace';

/** What a relist changed, for the informer to tell its handlers. */
export interface ReplaceResult<T> {
  added: T[];
  updated: [oldObject: T, newObject: T][];
  deleted: T[];
}

type Index = Map<string, Set<string>>;

interface State<T> {
  objects: Map<string, T>;
  indexes: Map<string, Index>;
}

const builtInIndexes: [string, IndexFunc][] = [
  [NAMESPACE_INDEX, (o) => (o.metadata?.namespace ? [o.metadata.namespace] : [])],
  [OWNER_UID_INDEX, (o) => (o.metadata?.ownerReferences ?? []).map((r) => r.uid)],
  [CONTROLLER_UID_INDEX, (o) => (o.metadata?.ownerReferences ?? []).filter((r) => r.controller).map((r) => r.uid)],
];

export class Store<T extends KubeObject> {
  private readonly indexFuncs = new Map<string, IndexFunc<T>>(builtInIndexes as [string, IndexFunc<T>][]);
  private state: State<T> = { objects: new Map(), indexes: new Map() };

  constructor() {
    for (const name of this.indexFuncs.keys()) this.state.indexes.set(name, new Map());
  }

  get size(): number {
    return this.state.objects.size;
  }

  get(key: ObjectKey | string): T | undefined {
    return this.state.objects.get(typeof key === 'string' ? key : keyString(key));
  }

  list(): T[] {
    return [...this.state.objects.values()];
  }

  /** Objects whose index `name` produced `value`. */
  byIndex(name: string, value: string): T[] {
    const index = this.state.indexes.get(name);
    if (!index) throw new Error(`no index named "${name}" (indexes: ${[...this.indexFuncs.keys()].join(', ')})`);
    const { objects } = this.state;
    return [...(index.get(value) ?? [])].map((key) => objects.get(key)!);
  }

  /** Adds an index and fills it from the current objects. Names must be unique. */
  addIndex(name: string, indexFunc: IndexFunc<T>): void {
    if (this.indexFuncs.has(name)) throw new Error(`an index named "${name}" already exists`);
    this.indexFuncs.set(name, indexFunc);
    const index: Index = new Map();
    for (const [key, object] of this.state.objects) addToIndex(index, indexFunc(object), key);
    this.state.indexes.set(name, index);
  }

  /** Stores the object; returns the one it replaced. */
  upsert(object: T): T | undefined {
    const key = objectKeyString(object);
    const old = this.state.objects.get(key);
    if (old) this.unindex(old, key);
    this.state.objects.set(key, object);
    for (const [name, fn] of this.indexFuncs) addToIndex(this.state.indexes.get(name)!, fn(object), key);
    return old;
  }

  /** Removes the object with this key; returns it. */
  remove(key: string): T | undefined {
    const old = this.state.objects.get(key);
    if (!old) return undefined;
    this.unindex(old, key);
    this.state.objects.delete(key);
    return old;
  }

  /** True when an index named `name` exists. */
  hasIndex(name: string): boolean {
    return this.indexFuncs.has(name);
  }

  /**
   * Replaces every object (or, with `namespace`, every object of that namespace) with a fresh
   * list: the new map and indexes are built aside and swapped in with one assignment. Objects
   * whose resourceVersion did not change keep their old copy.
   */
  replace(objects: T[], namespace?: string): ReplaceResult<T> {
    const previous = this.state.objects;
    const next: State<T> = { objects: new Map(), indexes: new Map() };
    const result: ReplaceResult<T> = { added: [], updated: [], deleted: [] };
    const replaced = (object: T) => namespace === undefined || object.metadata?.namespace === namespace;
    if (namespace !== undefined)
      for (const [key, object] of previous) if (!replaced(object)) next.objects.set(key, object);
    for (const object of objects) {
      const key = objectKeyString(object);
      const old = previous.get(key);
      if (!old) {
        next.objects.set(key, object);
        result.added.push(object);
      } else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        next.objects.set(key, object);
        result.updated.push([old, object]);
      } else {
        next.objects.set(key, old);
      }
    }
    for (const [key, old] of previous) if (replaced(old) && !next.objects.has(key)) result.deleted.push(old);
    for (const [name, fn] of this.indexFuncs) {
      const index: Index = new Map();
      for (const [key, object] of next.objects) addToIndex(index, fn(object), key);
      next.indexes.set(name, index);
    }
    this.state = next;
    return result;
  }

  private unindex(object: T, key: string): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.state.indexes.get(name)!;
      for (const value of fn(object)) {
        const keys = index.get(value);
        keys?.delete(key);
        if (keys?.size === 0) index.delete(value);
      }
    }
  }
}

function addToIndex(index: Index, values: string[], key: string): void {
  for (const value of values) {
    let keys = index.get(value);
    if (!keys) index.set(value, (keys = new Set()));
    keys.add(key);
  }
}
