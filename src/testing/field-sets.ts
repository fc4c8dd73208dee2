/**
 * Field sets as the apiserver's managedFields record them (FieldsV1): paths of `f:<field>`,
 * `k:{"key":value}` (an item of a map list) and `v:<value>` (an item of a set list), held as a set
 * of member paths and converted to and from the nested FieldsV1 form, where a member that has
 * members below it is marked `.` and one without is `{}` (structured-merge-diff's encoding).
 */
import type { ListType } from './list-types.js';

type Json = unknown;
type JsonObject = Record<string, Json>;

/** One field path: `['f:spec', 'f:ports', 'k:{"name":"http"}', 'f:port']`. */
export type FieldPath = string[];
/** The declared type of the list or map at a schema path (`spec.ports`, `spec.containers[].env`), if any. */
export type ListTypeAt = (schemaPath: string) => ListType | undefined;

const ATOMIC: ListType = { type: 'atomic' };

/** How a list at `schemaPath` merges: atomic unless declared otherwise. */
const listTypeOf = (listTypeAt: ListTypeAt, schemaPath: string): ListType => listTypeAt(schemaPath) ?? ATOMIC;

/** A map that is owned and replaced as a whole (`x-kubernetes-map-type: atomic`). */
const isGranularMap = (value: Json, listTypeAt: ListTypeAt, schemaPath: string): value is JsonObject =>
  isObject(value) && listTypeAt(schemaPath)?.type !== 'atomic';

/** Which part of an object a write owns: the main resource (everything but status) or the status subresource. */
export type Scope = 'main' | 'status';

const STRIPPED_METADATA = new Set([
  'name',
  'namespace',
  'creationTimestamp',
  'selfLink',
  'uid',
  'generation',
  'managedFields',
  'resourceVersion',
]);

export const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A set of field paths. */
export class FieldSet {
  private readonly paths = new Map<string, FieldPath>();

  static of(paths: Iterable<FieldPath>): FieldSet {
    const set = new FieldSet();
    for (const path of paths) set.add(path);
    return set;
  }

  static fromFieldsV1(tree: Json): FieldSet {
    const set = new FieldSet();
    const walk = (node: Json, prefix: FieldPath) => {
      const entries = isObject(node) ? Object.entries(node) : [];
      if (entries.length === 0 && prefix.length > 0) set.add(prefix);
      for (const [element, child] of entries) walk(child, [...prefix, element]);
    };
    walk(tree, []);
    return set;
  }

  /** Adds a member; a trailing `.` (the container itself) names the same member as its parent path. */
  add(path: FieldPath): void {
    const member = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
    if (member.length > 0) this.paths.set(JSON.stringify(member), member);
  }

  has(path: FieldPath): boolean {
    return this.paths.has(JSON.stringify(path));
  }

  delete(path: FieldPath): void {
    this.paths.delete(JSON.stringify(path));
  }

  get size(): number {
    return this.paths.size;
  }

  [Symbol.iterator](): IterableIterator<FieldPath> {
    return this.paths.values();
  }

  toFieldsV1(): JsonObject {
    const root: JsonObject = {};
    const nodeOf = (path: FieldPath) => {
      let node = root;
      for (const element of path) node = (node[element] ??= {}) as JsonObject;
      return node;
    };
    for (const path of this.paths.values()) nodeOf(path);
    for (const path of this.paths.values()) {
      const node = nodeOf(path);
      if (Object.keys(node).some((key) => key !== '.')) node['.'] = {};
    }
    return root;
  }
}

/** `k:{"name":"http"}` for an item of a map list (keys in name order, as the apiserver writes them). */
function itemElement(item: Json, listType: ListType): string {
  if (listType.type === 'map' && isObject(item)) {
    const key: JsonObject = {};
    for (const name of [...listType.keys].sort()) if (item[name] !== undefined) key[name] = item[name];
    return `k:${JSON.stringify(key)}`;
  }
  return `v:${JSON.stringify(item)}`;
}

/** The fields a write may own at the root: no apiVersion/kind, and status only through the status subresource. */
function ownedRootKeys(object: JsonObject, scope: Scope): string[] {
  return Object.keys(object).filter((key) =>
    scope === 'status' ? key === 'status' : key !== 'apiVersion' && key !== 'kind' && key !== 'status',
  );
}

function ownedKeys(object: JsonObject, path: FieldPath, scope: Scope): string[] {
  if (path.length === 0) return ownedRootKeys(object, scope);
  if (path.length === 1 && path[0] === 'f:metadata')
    return Object.keys(object).filter((k) => !STRIPPED_METADATA.has(k));
  return Object.keys(object);
}

const childSchemaPath = (schemaPath: string, field: string) => (schemaPath ? `${schemaPath}.${field}` : field);

/**
 * The fields an applied configuration sets: every leaf (scalars, atomic lists, empty maps) and the
 * `.` of each item of a map list; maps themselves are not owned (no `.`), as the apiserver records an Apply.
 */
export function appliedFields(config: JsonObject, scope: Scope, listTypeAt: ListTypeAt): FieldSet {
  const set = new FieldSet();
  const walk = (value: Json, path: FieldPath, schemaPath: string) => {
    if (isGranularMap(value, listTypeAt, schemaPath)) {
      const keys = ownedKeys(value, path, scope);
      if (Object.keys(value).length === 0 && path.length > 0) set.add(path);
      for (const key of keys) walk(value[key], [...path, `f:${key}`], childSchemaPath(schemaPath, key));
      return;
    }
    const listType = Array.isArray(value) ? listTypeOf(listTypeAt, schemaPath) : undefined;
    if (!listType || listType.type === 'atomic' || value === null) return set.add(path);
    for (const item of value as Json[]) {
      const itemPath = [...path, itemElement(item, listType)];
      if (listType.type === 'set') set.add(itemPath);
      else {
        set.add(itemPath);
        walk(item, itemPath, `${schemaPath}[]`);
      }
    }
  };
  walk(config, [], '');
  return set;
}

/**
 * The fields a non-apply write (create, update, patch) changed from `before` to `after`: changed
 * leaves, and everything under a map or list item it created, with that map's or item's `.`.
 */
export function changedFields(before: Json, after: JsonObject, scope: Scope, listTypeAt: ListTypeAt): FieldSet {
  const set = new FieldSet();
  const created = (value: Json, path: FieldPath, schemaPath: string) => {
    if (path.length > 0 && path.join() !== 'f:metadata') set.add([...path, '.']);
    diff(undefined, value, path, schemaPath);
  };
  const diff = (old: Json, value: Json, path: FieldPath, schemaPath: string) => {
    if (isGranularMap(value, listTypeAt, schemaPath)) {
      const keys = ownedKeys(value, path, scope);
      if (Object.keys(value).length === 0 && !isObject(old) && path.length > 0) set.add(path);
      for (const key of keys) {
        const was = isObject(old) ? old[key] : undefined;
        const child = [...path, `f:${key}`];
        const childSchema = childSchemaPath(schemaPath, key);
        if (isGranularMap(value[key], listTypeAt, childSchema) && !isObject(was))
          created(value[key], child, childSchema);
        else diff(was, value[key], child, childSchema);
      }
      return;
    }
    const listType = Array.isArray(value) ? listTypeOf(listTypeAt, schemaPath) : undefined;
    if (!listType || listType.type === 'atomic' || !Array.isArray(old)) {
      if (JSON.stringify(old) !== JSON.stringify(value)) {
        if (listType && listType.type !== 'atomic') return listItems(value as Json[], [], path, schemaPath, listType);
        set.add(path);
      }
      return;
    }
    listItems(value as Json[], old, path, schemaPath, listType);
  };
  const listItems = (items: Json[], old: Json[], path: FieldPath, schemaPath: string, listType: ListType) => {
    const previous = new Map(old.map((item) => [itemElement(item, listType), item]));
    for (const item of items) {
      const element = itemElement(item, listType);
      if (listType.type === 'set') {
        if (!previous.has(element)) set.add([...path, element]);
      } else if (!previous.has(element)) {
        set.add([...path, element, '.']);
        diff(undefined, item, [...path, element], `${schemaPath}[]`);
      } else diff(previous.get(element), item, [...path, element], `${schemaPath}[]`);
    }
  };
  diff(before, after, [], '');
  return set;
}

/** Where `path` leads in `object`, or `undefined`; `.` is the node itself. */
export function valueAt(object: Json, path: FieldPath, listTypeAt: ListTypeAt): Json {
  let node: Json = object;
  let schemaPath = '';
  for (const element of path) {
    if (element === '.') return node;
    if (element.startsWith('f:')) {
      const field = element.slice(2);
      node = isObject(node) ? node[field] : undefined;
      schemaPath = childSchemaPath(schemaPath, field);
    } else {
      const listType = listTypeOf(listTypeAt, schemaPath);
      node = Array.isArray(node) ? node.find((item) => itemElement(item, listType) === element) : undefined;
      schemaPath = `${schemaPath}[]`;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/** Removes the field, map or list item `path` names (a trailing `.` removes its parent) from `object`. */
export function removeAt(object: JsonObject, path: FieldPath, listTypeAt: ListTypeAt): void {
  const target = path[path.length - 1] === '.' ? path.slice(0, -1) : path;
  if (target.length === 0) return;
  const parent = valueAt(object, target.slice(0, -1), listTypeAt);
  const last = target[target.length - 1];
  if (last.startsWith('f:')) {
    if (isObject(parent)) delete parent[last.slice(2)];
    return;
  }
  if (!Array.isArray(parent)) return;
  const schemaPath = target
    .slice(0, -1)
    .map((element) => (element.startsWith('f:') ? `.${element.slice(2)}` : '[]'))
    .join('')
    .slice(1);
  const listType = listTypeOf(listTypeAt, schemaPath);
  const index = parent.findIndex((item) => itemElement(item, listType) === last);
  if (index >= 0) parent.splice(index, 1);
}

/** `.spec.ports[name="http"].port`, as the apiserver names a field in a conflict. */
export function describePath(path: FieldPath): string {
  return path
    .filter((element) => element !== '.')
    .map((element) => {
      if (element.startsWith('f:')) return `.${element.slice(2)}`;
      const value = JSON.parse(element.slice(2)) as Json;
      if (element.startsWith('v:')) return `[=${JSON.stringify(value)}]`;
      return `[${Object.entries(value as JsonObject)
        .map(([key, v]) => `${key}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}

/** `config` merged into `live`: maps field by field, map and set lists item by item, everything else replaced. */
export function mergeApplied(live: Json, config: Json, listTypeAt: ListTypeAt, schemaPath = ''): Json {
  if (isObject(live) && isGranularMap(config, listTypeAt, schemaPath)) {
    const merged: JsonObject = { ...live };
    for (const [key, value] of Object.entries(config))
      merged[key] = mergeApplied(live[key], value, listTypeAt, childSchemaPath(schemaPath, key));
    return merged;
  }
  const listType = Array.isArray(config) ? listTypeOf(listTypeAt, schemaPath) : undefined;
  if (!listType || listType.type === 'atomic' || !Array.isArray(live)) return structuredClone(config);
  const mergeItem = (existing: Json, item: Json) =>
    existing === undefined ? structuredClone(item) : mergeApplied(existing, item, listTypeAt, `${schemaPath}[]`);
  return mergeListItems(live, config as Json[], (item) => itemElement(item, listType), mergeItem);
}

/**
 * Items of a keyed list merged in structured-merge-diff's order: items of both lists in the applied
 * order, live-only items kept where they were relative to them, new items where they were applied.
 */
function mergeListItems(
  live: Json[],
  applied: Json[],
  id: (item: Json) => string,
  merge: (existing: Json, item: Json) => Json,
): Json[] {
  const liveById = new Map(live.map((item) => [id(item), item]));
  const appliedById = new Map(applied.map((item) => [id(item), item]));
  const shared = applied.map(id).filter((element) => liveById.has(element));
  const emitted = new Set<string>();
  const out: Json[] = [];
  let l = 0;
  let r = 0;
  while (l < live.length || r < applied.length) {
    const left = l < live.length ? id(live[l]) : undefined;
    const right = r < applied.length ? id(applied[r]) : undefined;
    if (left !== undefined && right !== undefined) {
      if (left === right) {
        out.push(merge(live[l], applied[r]));
        emitted.add(left);
        shared.shift();
        l++;
        r++;
        continue;
      }
      if (appliedById.has(left) && shared.length > 0 && shared[0] !== left) {
        l++;
        continue;
      }
    }
    if (left !== undefined) {
      if (!appliedById.has(left)) {
        out.push(live[l]);
        l++;
        continue;
      }
      if (emitted.has(left)) l++;
    }
    if (right !== undefined) {
      out.push(merge(liveById.get(right), applied[r]));
      emitted.add(right);
      if (shared[0] === right) shared.shift();
      r++;
    }
  }
  return out;
}
