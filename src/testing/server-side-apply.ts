/**
 * Server-side apply and field ownership for the fake client, the common cases of the apiserver's
 * semantics (structured-merge-diff):
 * - every write records its manager in `metadata.managedFields`: an apply as `operation: Apply`
 *   owning exactly the fields it sent, a create/update/patch as `operation: Update` owning the fields
 *   it changed (taking them from other managers); status writes as separate entries (`subresource: status`);
 * - an apply that would change a field another manager owns fails with 409 Conflict naming the
 *   manager and the field, unless `force` (which takes the field over); setting the same value
 *   shares ownership;
 * - fields a manager applied before and no longer applies are removed, unless another manager
 *   owns them too; a manager left owning nothing disappears from managedFields.
 * Lists are atomic unless keyed (see list-types.ts); values are not defaulted or validated.
 */
import type { V1ManagedFieldsEntry } from '@kubernetes/client-node';
import { ApiError } from '../runtime/client/index.js';
import {
  appliedFields,
  changedFields,
  describePath,
  FieldSet,
  isObject,
  mergeApplied,
  removeAt,
  valueAt,
  type ListTypeAt,
  type Scope,
} from './field-sets.js';

type JsonObject = Record<string, unknown>;
type Operation = 'Apply' | 'Update';

interface Manager {
  manager: string;
  operation: Operation;
  subresource?: string;
  apiVersion: string;
  time: string;
  fields: FieldSet;
}

/** Now as the apiserver writes managedFields times: RFC 3339 in whole seconds. */
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

function readManagers(object: JsonObject | undefined): Manager[] {
  const entries = ((object?.metadata as JsonObject | undefined)?.managedFields ?? []) as V1ManagedFieldsEntry[];
  return entries.map((entry) => ({
    manager: entry.manager ?? '',
    operation: entry.operation === 'Apply' ? 'Apply' : 'Update',
    subresource: entry.subresource || undefined,
    apiVersion: entry.apiVersion ?? '',
    time: String(entry.time ?? now()),
    fields: FieldSet.fromFieldsV1(entry.fieldsV1 ?? {}),
  }));
}

function writeManagers(object: JsonObject, managers: Manager[]): void {
  const metadata = (object.metadata ??= {}) as JsonObject;
  const entries = managers
    .filter((m) => m.fields.size > 0)
    .map((m) => ({
      manager: m.manager,
      operation: m.operation,
      apiVersion: m.apiVersion,
      time: m.time,
      fieldsType: 'FieldsV1',
      fieldsV1: m.fields.toFieldsV1(),
      ...(m.subresource ? { subresource: m.subresource } : {}),
    }));
  if (entries.length > 0) metadata.managedFields = entries;
  else delete metadata.managedFields;
}

const subresourceOf = (scope: Scope) => (scope === 'status' ? 'status' : undefined);
const sameEntry = (m: Manager, manager: string, operation: Operation, scope: Scope) =>
  m.manager === manager && m.operation === operation && m.subresource === subresourceOf(scope);

function entryFor(managers: Manager[], manager: string, operation: Operation, scope: Scope, apiVersion: string) {
  let entry = managers.find((m) => sameEntry(m, manager, operation, scope));
  if (!entry) {
    entry = { manager, operation, subresource: subresourceOf(scope), apiVersion, time: now(), fields: new FieldSet() };
    managers.push(entry);
  }
  entry.apiVersion = apiVersion;
  entry.time = now();
  return entry;
}

export interface ApplyRequest {
  /** The stored object, or undefined when the apply creates it. */
  live: JsonObject | undefined;
  /** The applied object; only its status counts for the status subresource, everything else for the main resource. */
  object: JsonObject;
  /** Its name and (for a namespaced kind) namespace. */
  identity: { name: string; namespace?: string };
  manager: string;
  force: boolean;
  scope: Scope;
  apiVersion: string;
  listTypeAt: ListTypeAt;
  /** Names the request in a conflict error: 'apply Widget ns/name'. */
  description: string;
  /** What a 409 names: `{ name, group, kind }`. */
  details: { name: string; group: string; kind: string };
}

/** The object after an apply, with its managedFields; throws the apiserver's 409 on a conflict without force. */
export function serverSideApply(request: ApplyRequest): JsonObject {
  const { live, manager, scope, apiVersion, listTypeAt, identity } = request;
  const { status, metadata, ...rest } = structuredClone(request.object);
  const config: JsonObject =
    scope === 'status'
      ? { metadata: identity, status }
      : { ...rest, metadata: { ...(metadata as JsonObject | undefined), ...identity } };
  const applied = appliedFields(config, scope, listTypeAt);
  const managers = readManagers(live);
  const merged = mergeApplied(live ?? {}, config, listTypeAt) as JsonObject;
  const conflicts: { manager: Manager; path: string[] }[] = [];
  for (const other of managers) {
    if (sameEntry(other, manager, 'Apply', scope)) continue;
    for (const path of applied) {
      if (!other.fields.has(path)) continue;
      // A map or list item is owned as a container; conflicts are on the values inside it.
      const after = valueAt(merged, path, listTypeAt);
      if (isObject(after)) continue;
      const before = JSON.stringify(valueAt(live, path, listTypeAt));
      if (before !== JSON.stringify(after)) conflicts.push({ manager: other, path });
    }
  }
  if (conflicts.length > 0 && !request.force) throw conflictError(request, conflicts);
  for (const { manager: other, path } of conflicts) other.fields.delete(path);

  const entry = entryFor(managers, manager, 'Apply', scope, apiVersion);
  const previous = entry.fields;
  entry.fields = applied;
  // Containers first: an item goes as a whole before its key fields could be removed from it.
  for (const path of [...previous].sort((a, b) => a.length - b.length)) {
    if (managers.some((m) => m.fields.has(path))) continue;
    removeAt(merged, path, listTypeAt);
    pruneEmptyParents(merged, path, managers, listTypeAt);
  }
  writeManagers(merged, managers);
  return merged;
}

/** A map or list left empty by a removal goes too when no manager owns anything in it, as on the apiserver. */
function pruneEmptyParents(object: JsonObject, removed: string[], managers: Manager[], listTypeAt: ListTypeAt): void {
  for (let depth = removed.length - 1; depth > 0; depth--) {
    const parent = removed.slice(0, depth);
    const value = valueAt(object, parent, listTypeAt);
    const empty = Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0;
    const owned = managers.some((m) => [...m.fields].some((path) => parent.every((element, i) => path[i] === element)));
    if (!empty || owned) return;
    removeAt(object, parent, listTypeAt);
  }
}

/** Records a create/update/patch by `manager`: it owns what it changed; removed fields are nobody's. */
export function recordUpdate(
  before: JsonObject | undefined,
  after: JsonObject,
  manager: string,
  scope: Scope,
  apiVersion: string,
  listTypeAt: ListTypeAt,
): void {
  const managers = readManagers(before);
  const changed = changedFields(before, after, scope, listTypeAt);
  for (const m of managers) {
    for (const path of [...m.fields]) {
      if (changed.has(path) || valueAt(after, path, listTypeAt) === undefined) m.fields.delete(path);
    }
  }
  if (changed.size > 0) {
    const entry = entryFor(managers, manager, 'Update', scope, apiVersion);
    for (const path of changed) entry.fields.add(path);
  }
  writeManagers(after, managers);
}

function conflictError(request: ApplyRequest, conflicts: { manager: Manager; path: string[] }[]): ApiError {
  const who = (m: Manager) => `"${m.manager}"${m.operation === 'Apply' ? '' : ` using ${m.apiVersion}`}`;
  const causes = conflicts.map(({ manager, path }) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${who(manager)}`,
    field: describePath(path),
  }));
  let message = `Apply failed with 1 conflict: ${causes[0].message}: ${causes[0].field}`;
  if (conflicts.length > 1) {
    // Grouped by manager, managers sorted, as structured-merge-diff prints them.
    const byManager = new Map<string, string[]>();
    for (const { manager, path } of conflicts) {
      const lines = byManager.get(who(manager)) ?? [];
      byManager.set(who(manager), [...lines, `- ${describePath(path)}`]);
    }
    const groups = [...byManager.entries()].sort(([a], [b]) => a.localeCompare(b));
    message = `Apply failed with ${conflicts.length} conflicts: ${groups
      .map(([manager, lines]) => [`conflicts with ${manager}:`, ...lines].join('\n'))
      .join('\n')}`;
  }
  return new ApiError(request.description, 409, {
    kind: 'Status',
    status: 'Failure',
    code: 409,
    reason: 'Conflict',
    message,
    details: { ...request.details, causes },
  });
}
