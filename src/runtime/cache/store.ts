/**
 * The store behind an informer: one copy of each object, held by namespace then name, with
 * indexes (namespace and owner UID built in, custom ones added by name). A relist is built aside
 * and swapped in at once, so readers see the old state or the new one, never a mix.
 *
 * Memory per object is kept small, as a cache of 100 000 objects pays it 100 000 times: objects
 * are held under their own namespace and name strings (no `namespace/name` key string per
 * object), the namespace index is the per-namespace map itself, and an index value with a single
 * object holds that object directly (a Set only once a value has two objects: most owner UIDs own
 * one object of a kind).
 */
import { keyFromString } from '../keys.js';
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

/** Index value → the object that produced it, or a Set of them once there are several. */
type Index<T> = Map<string, T | Set<T>>;

/** Namespace ('' for cluster-scoped objects) → name → object. */
type Objects<T> = Map<string, Map<string, T>>;

interface State<T> {
  objects: Objects<T>;
  size: number;
  indexes: Map<string, Index<T>>;
}

const builtInIndexes: [string, IndexFunc][] = [
  [OWNER_UID_INDEX, (o) => (o.metadata?.ownerReferences ?? []).map((r) => r.uid)],
  [CONTROLLER_UID_INDEX, (o) => (o.metadata?.ownerReferences ?? []).filter((r) => r.controller).map((r) => r.uid)],
];

export class Store<T extends KubeObject> {
  /** Index functions by name; the namespace index needs none (the objects are held by namespace). */
  private readonly indexFuncs = new Map<string, IndexFunc<T>>(builtInIndexes as [string, IndexFunc<T>][]);
  private state: State<T> = { objects: new Map(), size: 0, indexes: new Map() };

  constructor() {
    for (const name of this.indexFuncs.keys()) this.state.indexes.set(name, new Map());
  }

  get size(): number {
    return this.state.size;
  }

  get(key: ObjectKey | string): T | undefined {
    const { namespace, name } = typeof key === 'string' ? keyFromString(key) : key;
    return this.state.objects.get(namespace ?? '')?.get(name);
  }

  list(): T[] {
    const all: T[] = [];
    for (const names of this.state.objects.values()) for (const object of names.values()) all.push(object);
    return all;
  }

  /** Objects whose index `name` produced `value`. */
  byIndex(name: string, value: string): T[] {
    if (name === NAMESPACE_INDEX) return value === '' ? [] : [...(this.state.objects.get(value)?.values() ?? [])];
    const index = this.state.indexes.get(name);
    if (!index) throw new Error(`no index named "${name}" (indexes: ${this.indexNames().join(', ')})`);
    const entry = index.get(value);
    if (entry === undefined) return [];
    return entry instanceof Set ? [...entry] : [entry];
  }

  /** Adds an index and fills it from the current objects. Names must be unique. */
  addIndex(name: string, indexFunc: IndexFunc<T>): void {
    if (this.hasIndex(name)) throw new Error(`an index named "${name}" already exists`);
    this.indexFuncs.set(name, indexFunc);
    const index: Index<T> = new Map();
    for (const object of this.list()) addToIndex(index, indexFunc(object), object);
    this.state.indexes.set(name, index);
  }

  /** Stores the object; returns the one it replaced. */
  upsert(object: T): T | undefined {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    let names = this.state.objects.get(namespace);
    if (!names) this.state.objects.set(namespace, (names = new Map()));
    const old = names.get(name);
    if (old) this.unindex(old);
    else this.state.size++;
    names.set(name, object);
    for (const [indexName, fn] of this.indexFuncs) addToIndex(this.state.indexes.get(indexName)!, fn(object), object);
    return old;
  }

  /** Removes the object with this key; returns it. */
  remove(key: ObjectKey | string): T | undefined {
    const { namespace = '', name } = typeof key === 'string' ? keyFromString(key) : key;
    const names = this.state.objects.get(namespace);
    const old = names?.get(name);
    if (!names || !old) return undefined;
    this.unindex(old);
    names.delete(name);
    if (names.size === 0) this.state.objects.delete(namespace);
    this.state.size--;
    return old;
  }

  /** True when an index named `name` exists. */
  hasIndex(name: string): boolean {
    return name === NAMESPACE_INDEX || this.indexFuncs.has(name);
  }

  /**
   * Replaces every object (or, with `namespace`, every object of that namespace) with a fresh
   * list: the new maps and indexes are built aside and swapped in with one assignment. Objects
   * whose resourceVersion did not change keep their old copy.
   */
  replace(objects: T[], namespace?: string): ReplaceResult<T> {
    const previous = this.state.objects;
    const next: State<T> = { objects: new Map(), size: 0, indexes: new Map() };
    const result: ReplaceResult<T> = { added: [], updated: [], deleted: [] };
    if (namespace !== undefined) {
      // The other namespaces' maps are not touched by this relist: the new state takes them as they are.
      for (const [ns, names] of previous) if (ns !== namespace) next.objects.set(ns, names);
    }
    for (const object of objects) {
      const ns = object.metadata?.namespace ?? '';
      const name = object.metadata?.name ?? '';
      let names = next.objects.get(ns);
      if (!names) next.objects.set(ns, (names = new Map()));
      const old = previous.get(ns)?.get(name);
      if (!old) {
        names.set(name, object);
        result.added.push(object);
      } else if (old.metadata?.resourceVersion !== object.metadata?.resourceVersion) {
        names.set(name, object);
        result.updated.push([old, object]);
      } else {
        names.set(name, old);
      }
    }
    for (const [ns, names] of previous) {
      if (namespace !== undefined && ns !== namespace) continue;
      const kept = next.objects.get(ns);
      for (const [name, old] of names) if (!kept?.has(name)) result.deleted.push(old);
    }
    for (const names of next.objects.values()) next.size += names.size;
    for (const [name, fn] of this.indexFuncs) {
      const index: Index<T> = new Map();
      for (const names of next.objects.values())
        for (const object of names.values()) addToIndex(index, fn(object), object);
      next.indexes.set(name, index);
    }
    this.state = next;
    return result;
  }

  private indexNames(): string[] {
    return [NAMESPACE_INDEX, ...this.indexFuncs.keys()];
  }

  private unindex(object: T): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.state.indexes.get(name)!;
      for (const value of fn(object)) {
        const entry = index.get(value);
        if (entry === object) index.delete(value);
        else if (entry instanceof Set) {
          entry.delete(object);
          if (entry.size === 1) index.set(value, entry.values().next().value!);
        }
      }
    }
  }
}

function addToIndex<T>(index: Index<T>, values: string[], object: T): void {
  for (const value of values) {
    const entry = index.get(value);
    if (entry === undefined) index.set(value, object);
    else if (entry instanceof Set) entry.add(object);
    else if (entry !== object) index.set(value, new Set([entry, object]));
  }
}
