/** JSON merge patches (RFC 7386): compute one from two versions of an object, or apply one. */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` as JSON with object keys in name order at every level, as the apiserver encodes a custom resource. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isPlainObject(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** Whether two values are the same JSON document, object keys in any order. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The smallest merge patch that turns `before` into `after` (`undefined` when they are equal). */
export function createMergePatch(before: unknown, after: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(before) || !isPlainObject(after))
    throw new TypeError('createMergePatch: both versions must be objects');
  const patch: Record<string, unknown> = {};
  for (const key of Object.keys(before)) {
    if (after[key] === undefined && before[key] !== undefined) patch[key] = null;
  }
  for (const [key, value] of Object.entries(after)) {
    if (value === undefined || jsonEqual(before[key], value)) continue;
    patch[key] = isPlainObject(before[key]) && isPlainObject(value) ? createMergePatch(before[key], value) : value;
  }
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** `target` with `patch` merged in (RFC 7386); neither input is modified. */
export function applyMergePatch<T>(target: T, patch: unknown): T {
  if (!isPlainObject(patch)) return structuredClone(patch) as T;
  const result: Record<string, unknown> = isPlainObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value as Json);
  }
  return result as T;
}
