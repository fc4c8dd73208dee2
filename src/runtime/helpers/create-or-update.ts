/**
 * Make an object exist in a desired shape without caring whether it exists yet: read it, let a
 * `mutate` function set the fields you own, then create it, write it back, or leave it alone
 * when nothing changed (no write, no event storm).
 */
import { requireObjectKey } from '../keys.js';
import type { Client, KubeObject, ObjectKey, ObjectKind } from '../types.js';
import { createMergePatch, jsonEqual } from './merge-patch.js';

export type OperationResult = 'created' | 'updated' | 'unchanged' | 'updatedStatus' | 'updatedStatusOnly';

export interface CreateOrUpdateResult<T> {
  result: OperationResult;
  object: T;
}

type Mutate<T> = (object: T) => void | Promise<void>;

const MISSING_NAME = 'createOrUpdate: the object needs metadata.name';

async function mutated<T extends KubeObject>(object: T, mutate: Mutate<T>, key: ObjectKey): Promise<T> {
  await mutate(object);
  const after = requireObjectKey(object, MISSING_NAME);
  if (after.name !== key.name || after.namespace !== key.namespace)
    throw new Error(`mutate must not change the object's name or namespace (was ${key.namespace ?? ''}/${key.name})`);
  return object;
}

/** Reads the object; when absent, creates it from `object` after `mutate`; else returns it and a mutated copy. */
async function getOrCreate<T extends KubeObject>(
  client: Client,
  kind: ObjectKind<T>,
  object: T,
  mutate: Mutate<T>,
): Promise<{ existing: T; desired: T } | { created: T }> {
  const key = requireObjectKey(object, MISSING_NAME);
  const existing = await client.get(kind, key);
  if (existing) return { existing, desired: await mutated(structuredClone(existing), mutate, key) };
  return { created: await client.create(kind, await mutated(object, mutate, key)) };
}

/**
 * Gets the object named by `object.metadata`, applies `mutate`, and creates it (if absent) or
 * updates it (if `mutate` changed it). An update with a stale resourceVersion fails with 409;
 * let the reconcile retry.
 */
export async function createOrUpdate<T extends KubeObject>(
  client: Client,
  kind: ObjectKind<T>,
  object: T,
  mutate: Mutate<T>,
): Promise<CreateOrUpdateResult<T>> {
  const found = await getOrCreate(client, kind, object, mutate);
  if ('created' in found) return { result: 'created', object: found.created };
  const { existing, desired } = found;
  if (jsonEqual(desired, existing)) return { result: 'unchanged', object: existing };
  return { result: 'updated', object: await client.update(kind, desired) };
}

/**
 * Like `createOrUpdate`, but writes only what `mutate` changed, as merge patches: one for the
 * object and, if the status changed, one for the status subresource.
 */
export async function createOrPatch<T extends KubeObject>(
  client: Client,
  kind: ObjectKind<T>,
  object: T,
  mutate: Mutate<T>,
): Promise<CreateOrUpdateResult<T>> {
  const found = await getOrCreate(client, kind, object, mutate);
  if ('created' in found) return { result: 'created', object: found.created };
  const { existing, desired } = found;
  const key = requireObjectKey(existing, MISSING_NAME);
  const { status: statusBefore, ...restBefore } = existing as T & { status?: unknown };
  const { status: statusAfter, ...restAfter } = desired as T & { status?: unknown };
  const patch = createMergePatch(restBefore, restAfter);
  const statusPatch = createMergePatch({ status: statusBefore }, { status: statusAfter });
  let current = existing;
  if (patch) current = await client.patch(kind, key, { type: 'merge', body: patch });
  if (statusPatch) current = await client.status().patch(kind, key, { type: 'merge', body: statusPatch });
  const result: OperationResult = patch
    ? statusPatch
      ? 'updatedStatus'
      : 'updated'
    : statusPatch
      ? 'updatedStatusOnly'
      : 'unchanged';
  return { result, object: current };
}
