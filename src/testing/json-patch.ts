/** RFC 6902 JSON patch application for the fake client (add, remove, replace, test, move, copy). */
import type { JsonPatchOperation } from '../runtime/client/index.js';

type Container = Record<string, unknown> | unknown[];

function tokens(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new Error(`invalid JSON pointer "${path}"`);
  return path
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(document: unknown, path: string): { parent: Container; key: string } {
  const parts = tokens(path);
  const key = parts.pop();
  if (key === undefined) throw new Error('the whole document cannot be patched');
  let node: unknown = document;
  for (const part of parts) {
    node = (node as Record<string, unknown> | undefined)?.[part];
    if (typeof node !== 'object' || node === null) throw new Error(`path ${path} does not exist`);
  }
  return { parent: node as Container, key };
}

function read(document: unknown, path: string): unknown {
  const { parent, key } = parentOf(document, path);
  const value = Array.isArray(parent) ? parent[Number(key)] : parent[key];
  if (value === undefined) throw new Error(`path ${path} does not exist`);
  return value;
}

function indexIn(array: unknown[], key: string, path: string, forAdd: boolean): number {
  if (forAdd && key === '-') return array.length;
  const index = Number(key);
  if (!/^\d+$/.test(key) || index > array.length || (!forAdd && index === array.length))
    throw new Error(`array index ${key} out of range at ${path}`);
  return index;
}

function add(document: unknown, path: string, value: unknown): void {
  const { parent, key } = parentOf(document, path);
  if (Array.isArray(parent)) parent.splice(indexIn(parent, key, path, true), 0, value);
  else parent[key] = value;
}

function remove(document: unknown, path: string): void {
  const { parent, key } = parentOf(document, path);
  if (Array.isArray(parent)) parent.splice(indexIn(parent, key, path, false), 1);
  else if (key in parent) delete parent[key];
  else throw new Error(`path ${path} does not exist`);
}

/** `document` with `operations` applied; throws (without changing `document`) when one fails. */
export function applyJsonPatch<T>(document: T, operations: JsonPatchOperation[]): T {
  const result = structuredClone(document);
  for (const op of operations) {
    switch (op.op) {
      case 'add':
        add(result, op.path, structuredClone(op.value));
        break;
      case 'remove':
        remove(result, op.path);
        break;
      case 'replace':
        remove(result, op.path);
        add(result, op.path, structuredClone(op.value));
        break;
      case 'test':
        if (JSON.stringify(read(result, op.path)) !== JSON.stringify(op.value))
          throw new Error(`testing value ${op.path} failed`);
        break;
      case 'move': {
        const value = read(result, op.from!);
        remove(result, op.from!);
        add(result, op.path, value);
        break;
      }
      case 'copy':
        add(result, op.path, structuredClone(read(result, op.from!)));
        break;
    }
  }
  return result;
}
