/**
 * An in-memory `Client` for fast unit tests of reconcilers. It keeps the apiserver rules a
 * reconciler depends on: resourceVersion conflicts (409), no unconditional update of a custom
 * resource (422), AlreadyExists, NotFound, generation bumped on spec changes only, status written
 * only through `status()` (create drops it), finalizers holding a deleted object (deletionTimestamp
 * set, no new finalizers) until the last one is removed, label/field selectors, custom resources
 * read back as JSON with their keys in name order, and server-side apply with field managers
 * (managedFields, conflicts, removal of fields a manager stops applying; see server-side-apply.ts).
 * The same scenarios run on this fake and on a real apiserver (test/support/client-scenarios.ts,
 * test/testing/ssa-scenarios.ts), so these rules are the apiserver's. It is an addition to envtest
 * tests, never a replacement: no admission, no defaulting, no validation, no garbage collection.
 * `interceptors` inject errors or observe calls (controller-runtime's `interceptor.Funcs`).
 */
import { randomUUID } from 'node:crypto';
import { labelMatcher } from '../runtime/cache/index.js';
import { ApiError, fieldSelectorFor, objectKey, parseFieldSelector } from '../runtime/client/index.js';
import { applyMergePatch, canonicalJson } from '../runtime/helpers/index.js';
import type {
  ApplyOptions,
  Client,
  DeleteOptions,
  KubeObject,
  ListOptions,
  ObjectKey,
  ObjectKind,
  Patch,
  StatusWriter,
  WriteOptions,
} from '../runtime/client/index.js';
import { interceptClient, type InterceptorFuncs } from './interceptor.js';
import { applyJsonPatch } from './json-patch.js';
import { listTypesOf, type ListTypeDeclaration } from './list-types.js';
import { recordUpdate, serverSideApply } from './server-side-apply.js';

type Stored = KubeObject & { status?: unknown };

function storeKey(kind: ObjectKind, key: ObjectKey): string {
  return `${kind.group}/${kind.plural}/${kind.namespaced ? (key.namespace ?? '') : ''}/${key.name}`;
}

function statusError(
  kind: ObjectKind,
  key: ObjectKey,
  verb: string,
  code: number,
  reason: string,
  message: string,
): ApiError {
  const what = `${verb} ${kind.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`;
  return new ApiError(what, code, {
    kind: 'Status',
    status: 'Failure',
    code,
    reason,
    message,
    details: { name: key.name, group: kind.group, kind: kind.plural },
  });
}

/**
 * The metadata field terms of a list's `fieldSelector` and `matchingFields` (the fake serves
 * metadata.name and metadata.namespace only; anything else is refused as a 400, never ignored).
 */
function fakeFieldRequirements(
  kind: ObjectKind,
  options: ListOptions,
): { field: 'name' | 'namespace'; operator: '=' | '!='; value: string }[] {
  const selector = fieldSelectorFor(options);
  const refuse = (message: string) => statusError(kind, { name: '' }, 'list', 400, 'BadRequest', message);
  let terms;
  try {
    terms = selector ? parseFieldSelector(selector) : [];
  } catch (error) {
    throw refuse((error as Error).message);
  }
  return terms.map((term) => {
    if (term.field !== 'metadata.name' && term.field !== 'metadata.namespace')
      throw refuse(`field selector "${term.field}${term.operator}${term.value}" is not supported by the fake client`);
    return { field: term.field === 'metadata.name' ? 'name' : 'namespace', operator: term.operator, value: term.value };
  });
}

/** Now as the apiserver writes timestamps: an RFC 3339 string in whole seconds (the models type it `Date`). */
function timestamp(): Date {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z') as unknown as Date;
}

/**
 * Kinds served from CustomResourceDefinitions: their groups must contain a dot, and `*.k8s.io` /
 * `*.kubernetes.io` groups are Kubernetes' own (bar a few approved CRDs, such as Gateway API's).
 */
function isCustomResource(kind: ObjectKind): boolean {
  return kind.group.includes('.') && !/\.(k8s|kubernetes)\.io$/.test(kind.group);
}

function invalid(kind: ObjectKind, key: ObjectKey, verb: string, message: string): ApiError {
  const what = `${kind.kind}.${kind.group}`.replace(/\.$/, '');
  return statusError(kind, key, verb, 422, 'Invalid', `${what} "${key.name}" is invalid: ${message}`);
}

function withoutMetaAndStatus(object: Stored): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object as Record<string, unknown>;
  return canonicalJson(rest);
}

export interface FakeClient extends Client {
  /** Every stored object of `kind` (all namespaces), for assertions. */
  objects<T extends KubeObject>(kind: ObjectKind<T>): T[];
}

export interface FakeClientOptions {
  /** Keyed (`map`) and `set` lists of custom resources, for server-side apply (lists are atomic otherwise). */
  listTypes?: ListTypeDeclaration[];
  /** Hooks in front of every call: inject errors, count calls, or call through (`interceptor.Funcs`). */
  interceptors?: InterceptorFuncs;
  /** Field manager of create/update/patch calls that name none. Default 'kubeforge' (as `newClient`). */
  fieldManager?: string;
}

/** A fake client holding `objects` (each needs `apiVersion`, `kind` and its key) under their kinds. */
export function newFakeClient(
  objects: { kind: ObjectKind; object: KubeObject }[] = [],
  options: FakeClientOptions = {},
): FakeClient {
  const store = new Map<string, Stored>();
  const listTypeAt = (kind: ObjectKind) => listTypesOf(kind, options.listTypes ?? []);
  const managerOf = (writeOptions?: WriteOptions) => writeOptions?.fieldManager ?? options.fieldManager ?? 'kubeforge';
  /** Records `manager` as the owner of what a create/update/patch changed. */
  const owned = (
    kind: ObjectKind,
    before: Stored | undefined,
    after: Stored,
    scope: 'main' | 'status',
    o?: WriteOptions,
  ) => {
    if (after.metadata && !after.metadata.managedFields && before?.metadata?.managedFields)
      after.metadata.managedFields = before.metadata.managedFields;
    recordUpdate(before as never, after as never, managerOf(o), scope, kind.apiVersion, listTypeAt(kind));
    return after;
  };
  const applied = (
    kind: ObjectKind,
    key: ObjectKey,
    live: Stored | undefined,
    object: KubeObject,
    o: ApplyOptions,
    scope: 'main' | 'status',
  ) => {
    const verb = scope === 'status' ? 'apply status' : 'apply';
    if (!o?.fieldManager) throw invalid(kind, key, verb, 'fieldManager: Required value: is required for apply patch');
    return serverSideApply({
      live: live as never,
      object: object as never,
      identity: { name: key.name, ...(kind.namespaced ? { namespace: key.namespace } : {}) },
      manager: o.fieldManager,
      force: o.force ?? false,
      scope,
      apiVersion: kind.apiVersion,
      listTypeAt: listTypeAt(kind),
      description: `${verb} ${kind.kind} ${key.namespace ? `${key.namespace}/` : ''}${key.name}`,
      details: { name: key.name, group: kind.group, kind: kind.plural },
    }) as Stored;
  };
  let resourceVersion = 0;
  const nextVersion = () => String(++resourceVersion);

  const requireKey = (kind: ObjectKind, object: KubeObject, verb: string): ObjectKey => {
    const key = objectKey(object);
    if (!key) throw statusError(kind, { name: '' }, verb, 422, 'Invalid', 'metadata.name: Required value');
    if (kind.namespaced && !key.namespace)
      throw statusError(kind, key, verb, 400, 'BadRequest', 'the namespace of the object must be set');
    return kind.namespaced ? key : { name: key.name };
  };

  // A write that changes nothing but managedFields times is a no-op, as on the apiserver.
  const comparable = (object: Stored) =>
    canonicalJson({
      ...object,
      metadata: {
        ...object.metadata,
        resourceVersion: undefined,
        generation: undefined,
        managedFields: object.metadata?.managedFields?.map((entry) => ({ ...entry, time: undefined })),
      },
    });

  /** A copy of `object` as a read gives it back: a custom resource as JSON with its keys in name order. */
  const written = (kind: ObjectKind, object: Stored): Stored =>
    isCustomResource(kind) ? (JSON.parse(canonicalJson(object)) as Stored) : structuredClone(object);

  const persist = (kind: ObjectKind, key: ObjectKey, next: Stored, previous: Stored, verb: string): Stored => {
    const meta = (next.metadata ??= {});
    Object.assign(next, { apiVersion: kind.apiVersion, kind: kind.kind });
    meta.uid = previous.metadata?.uid;
    meta.creationTimestamp = previous.metadata?.creationTimestamp;
    meta.deletionTimestamp = previous.metadata?.deletionTimestamp;
    meta.deletionGracePeriodSeconds = previous.metadata?.deletionGracePeriodSeconds;
    const added = (meta.finalizers ?? []).filter((f) => !previous.metadata?.finalizers?.includes(f));
    if (meta.deletionTimestamp && added.length > 0)
      throw invalid(
        kind,
        key,
        verb,
        `metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers ${JSON.stringify(added)}`,
      );
    if (comparable(next) === comparable(previous)) return structuredClone(previous);
    meta.generation =
      (previous.metadata?.generation ?? 1) + (withoutMetaAndStatus(next) !== withoutMetaAndStatus(previous) ? 1 : 0);
    meta.resourceVersion = nextVersion();
    const result = written(kind, next);
    if (meta.deletionTimestamp && !meta.finalizers?.length) store.delete(storeKey(kind, key));
    else store.set(storeKey(kind, key), structuredClone(result));
    return result;
  };

  /** Stores a new object with the metadata the apiserver sets on create. */
  const insert = (kind: ObjectKind, key: ObjectKey, source: Stored, verb: string): Stored => {
    const meta = (source.metadata ??= {});
    if (store.has(storeKey(kind, key)))
      throw statusError(kind, key, verb, 409, 'AlreadyExists', `${kind.plural} "${key.name}" already exists`);
    if (meta.resourceVersion)
      throw statusError(
        kind,
        key,
        verb,
        500,
        'InternalError',
        'resourceVersion should not be set on objects to be created',
      );
    Object.assign(meta, {
      uid: randomUUID(),
      creationTimestamp: timestamp(),
      generation: 1,
      resourceVersion: nextVersion(),
    });
    delete source.status;
    const stored = written(kind, { ...source, apiVersion: kind.apiVersion, kind: kind.kind });
    store.set(storeKey(kind, key), structuredClone(stored));
    return stored;
  };

  const current = (kind: ObjectKind, key: ObjectKey, verb: string): Stored => {
    const stored = store.get(storeKey(kind, key));
    if (!stored) throw statusError(kind, key, verb, 404, 'NotFound', `${kind.plural} "${key.name}" not found`);
    return stored;
  };

  const checkVersion = (kind: ObjectKind, key: ObjectKey, object: KubeObject, stored: Stored, verb: string) => {
    const rv = object.metadata?.resourceVersion;
    if (!rv && verb.startsWith('update') && isCustomResource(kind))
      throw invalid(kind, key, verb, 'metadata.resourceVersion: Invalid value: 0x0: must be specified for an update');
    if (rv && rv !== stored.metadata?.resourceVersion) {
      throw statusError(
        kind,
        key,
        verb,
        409,
        'Conflict',
        `Operation cannot be fulfilled on ${kind.plural} "${key.name}": the object has been modified; please apply your changes to the latest version and try again`,
      );
    }
  };

  const patched = (kind: ObjectKind, key: ObjectKey, stored: Stored, patch: Patch): Stored => {
    try {
      return patch.type === 'json' ? applyJsonPatch(stored, patch.operations) : applyMergePatch(stored, patch.body);
    } catch (err) {
      throw statusError(kind, key, 'patch', 422, 'Invalid', (err as Error).message);
    }
  };

  const client: FakeClient = {
    async get(kind, key) {
      const stored = store.get(storeKey(kind, key));
      return stored ? (structuredClone(stored) as never) : undefined;
    },
    async list(kind, options: ListOptions = {}) {
      const selector = options.labelSelector ? labelMatcher(options.labelSelector) : undefined;
      const fields = fakeFieldRequirements(kind, options);
      const prefix = `${kind.group}/${kind.plural}/`;
      return [...store.entries()]
        .filter(([k]) => k.startsWith(prefix))
        .map(([, o]) => o)
        .filter((o) => !options.namespace || o.metadata?.namespace === options.namespace)
        .filter((o) => !selector || selector(o.metadata?.labels))
        .filter((o) => fields.every((f) => (o.metadata?.[f.field] === f.value) === (f.operator === '=')))
        .sort((a, b) =>
          storeKey(kind, requireKey(kind, a, 'list')).localeCompare(storeKey(kind, requireKey(kind, b, 'list'))),
        )
        .map((o) => structuredClone(o) as never);
    },
    async create(kind, object, writeOptions) {
      const source = structuredClone(object) as Stored;
      const meta = (source.metadata ??= {});
      if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
      const key = requireKey(kind, source, 'create');
      return insert(kind, key, owned(kind, undefined, source, 'main', writeOptions), 'create') as never;
    },
    async update(kind, object, writeOptions) {
      const key = requireKey(kind, object, 'update');
      const stored = current(kind, key, 'update');
      checkVersion(kind, key, object, stored, 'update');
      const next = { ...structuredClone(object), status: stored.status } as Stored;
      if (stored.status === undefined) delete next.status;
      return persist(kind, key, owned(kind, stored, next, 'main', writeOptions), stored, 'update') as never;
    },
    async patch(kind, key, patch, writeOptions) {
      const stored = current(kind, key, 'patch');
      const next = patched(kind, key, stored, patch);
      checkVersion(kind, key, next, stored, 'patch');
      next.status = stored.status;
      if (stored.status === undefined) delete next.status;
      return persist(kind, key, owned(kind, stored, next, 'main', writeOptions), stored, 'patch') as never;
    },
    async apply(kind, applyConfiguration, applyOptions: ApplyOptions) {
      const object = applyConfiguration as KubeObject;
      const key = requireKey(kind, object, 'apply');
      const stored = store.get(storeKey(kind, key));
      const next = applied(kind, key, stored, object, applyOptions, 'main');
      if (!stored) return insert(kind, key, next, 'apply') as never;
      return persist(kind, key, next, stored, 'apply') as never;
    },
    async delete(kind, key, options: DeleteOptions = {}) {
      const stored = store.get(storeKey(kind, key));
      if (!stored) return false;
      const pre = options.preconditions;
      if (
        (pre?.uid && pre.uid !== stored.metadata?.uid) ||
        (pre?.resourceVersion && pre.resourceVersion !== stored.metadata?.resourceVersion)
      ) {
        throw statusError(kind, key, 'delete', 409, 'Conflict', 'Precondition failed');
      }
      if (stored.metadata?.finalizers?.length) {
        if (!stored.metadata.deletionTimestamp) {
          const deleting = structuredClone(stored);
          Object.assign(deleting.metadata!, {
            deletionTimestamp: timestamp(),
            deletionGracePeriodSeconds: 0,
            generation: (stored.metadata.generation ?? 1) + 1,
            resourceVersion: nextVersion(),
          });
          store.set(storeKey(kind, key), written(kind, deleting));
        }
        return true;
      }
      store.delete(storeKey(kind, key));
      return true;
    },
    async deleteAllOf(kind, options) {
      for (const object of await client.list(kind, options))
        await client.delete(kind, requireKey(kind, object, 'deletecollection'), options);
    },
    status(): StatusWriter {
      const writeStatus = (
        kind: ObjectKind,
        key: ObjectKey,
        status: unknown,
        stored: Stored,
        verb: string,
        writeOptions?: WriteOptions,
      ) => {
        const next = { ...structuredClone(stored), status } as Stored;
        if (status === undefined) delete next.status;
        return persist(kind, key, owned(kind, stored, next, 'status', writeOptions), stored, verb) as never;
      };
      return {
        async update(kind, object, writeOptions) {
          const key = requireKey(kind, object, 'update status');
          const stored = current(kind, key, 'update status');
          checkVersion(kind, key, object, stored, 'update status');
          return writeStatus(kind, key, (object as Stored).status, stored, 'update status', writeOptions);
        },
        async patch(kind, key, patch, writeOptions) {
          const stored = current(kind, key, 'patch status');
          const next = patched(kind, key, stored, patch);
          checkVersion(kind, key, next, stored, 'patch status');
          return writeStatus(kind, key, next.status, stored, 'patch status', writeOptions);
        },
        async apply(kind, applyConfiguration, applyOptions) {
          const object = applyConfiguration as KubeObject;
          const key = requireKey(kind, object, 'apply status');
          const stored = current(kind, key, 'apply status');
          const next = applied(kind, key, stored, object, applyOptions, 'status');
          return persist(kind, key, next, stored, 'apply status') as never;
        },
      };
    },
    objects(kind) {
      const prefix = `${kind.group}/${kind.plural}/`;
      return [...store.entries()].filter(([k]) => k.startsWith(prefix)).map(([, o]) => structuredClone(o) as never);
    },
  };
  for (const { kind, object } of objects) {
    const source = structuredClone(object) as Stored;
    const key = requireKey(kind, source, 'seed');
    const meta = source.metadata!;
    Object.assign(meta, {
      uid: meta.uid ?? randomUUID(),
      generation: meta.generation ?? 1,
      resourceVersion: nextVersion(),
    });
    store.set(storeKey(kind, key), written(kind, { ...source, apiVersion: kind.apiVersion, kind: kind.kind }));
  }
  if (!options.interceptors) return client;
  return { ...interceptClient(client, options.interceptors), objects: (kind) => client.objects(kind) };
}
