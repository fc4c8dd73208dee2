/**
 * An in-memory `Client` for fast unit tests of reconcilers. It keeps the apiserver rules a
 * reconciler depends on: resourceVersion conflicts (409), AlreadyExists, NotFound, generation
 * bumped on spec changes only, status written only through `status()`, finalizers holding a
 * deleted object (deletionTimestamp set) until the last one is removed, label/field selectors.
 * It is an addition to envtest tests, never a replacement: no admission, no defaulting, no
 * validation, no garbage collection.
 */
import { randomUUID } from 'node:crypto';
import { ApiError } from '../runtime/client/errors.js';
import { labelMatcher } from '../runtime/cache/label-selector.js';
import { applyMergePatch } from '../runtime/helpers/merge-patch.js';
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
} from '../runtime/types.js';
import { applyJsonPatch } from './json-patch.js';

type Stored = KubeObject & { status?: unknown };

function keyString(kind: ObjectKind, key: ObjectKey): string {
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

function withoutMetaAndStatus(object: Stored): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = object as Record<string, unknown>;
  return JSON.stringify(rest);
}

export interface FakeClient extends Client {
  /** Every stored object of `kind` (all namespaces), for assertions. */
  objects<T extends KubeObject>(kind: ObjectKind<T>): T[];
}

/** A fake client holding `objects` (each needs `apiVersion`, `kind` and its key) under their kinds. */
export function newFakeClient(objects: { kind: ObjectKind; object: KubeObject }[] = []): FakeClient {
  const store = new Map<string, Stored>();
  let resourceVersion = 0;
  const nextVersion = () => String(++resourceVersion);

  const keyOf = (kind: ObjectKind, object: KubeObject, verb: string): ObjectKey => {
    const { name, namespace } = object.metadata ?? {};
    if (!name) throw statusError(kind, { name: '' }, verb, 422, 'Invalid', 'metadata.name: Required value');
    if (kind.namespaced && !namespace)
      throw statusError(kind, { name }, verb, 400, 'BadRequest', 'the namespace of the object must be set');
    return kind.namespaced ? { namespace, name } : { name };
  };

  const comparable = (object: Stored) =>
    JSON.stringify({ ...object, metadata: { ...object.metadata, resourceVersion: undefined, generation: undefined } });

  const persist = (kind: ObjectKind, key: ObjectKey, next: Stored, previous: Stored): Stored => {
    const meta = (next.metadata ??= {});
    Object.assign(next, { apiVersion: kind.apiVersion, kind: kind.kind });
    meta.uid = previous.metadata?.uid;
    meta.creationTimestamp = previous.metadata?.creationTimestamp;
    meta.deletionTimestamp = previous.metadata?.deletionTimestamp;
    if (comparable(next) === comparable(previous)) return structuredClone(previous);
    meta.generation =
      (previous.metadata?.generation ?? 1) + (withoutMetaAndStatus(next) !== withoutMetaAndStatus(previous) ? 1 : 0);
    meta.resourceVersion = nextVersion();
    if (meta.deletionTimestamp && !meta.finalizers?.length) store.delete(keyString(kind, key));
    else store.set(keyString(kind, key), structuredClone(next));
    return structuredClone(next);
  };

  const current = (kind: ObjectKind, key: ObjectKey, verb: string): Stored => {
    const stored = store.get(keyString(kind, key));
    if (!stored) throw statusError(kind, key, verb, 404, 'NotFound', `${kind.plural} "${key.name}" not found`);
    return stored;
  };

  const checkVersion = (kind: ObjectKind, key: ObjectKey, object: KubeObject, stored: Stored, verb: string) => {
    const rv = object.metadata?.resourceVersion;
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
      const stored = store.get(keyString(kind, key));
      return stored ? (structuredClone(stored) as never) : undefined;
    },
    async list(kind, options: ListOptions = {}) {
      const selector = options.labelSelector ? labelMatcher(options.labelSelector) : undefined;
      const fields = (options.fieldSelector ?? '')
        .split(',')
        .filter(Boolean)
        .map((f) => {
          const m = f.match(/^(metadata\.name|metadata\.namespace)(==|=|!=)(.*)$/);
          if (!m)
            throw statusError(
              kind,
              { name: '' },
              'list',
              400,
              'BadRequest',
              `field selector "${f}" is not supported by the fake client`,
            );
          return { field: m[1] === 'metadata.name' ? 'name' : 'namespace', equal: m[2] !== '!=', value: m[3] } as const;
        });
      const prefix = `${kind.group}/${kind.plural}/`;
      return [...store.entries()]
        .filter(([k]) => k.startsWith(prefix))
        .map(([, o]) => o)
        .filter((o) => !options.namespace || o.metadata?.namespace === options.namespace)
        .filter((o) => !selector || selector(o.metadata?.labels))
        .filter((o) => fields.every((f) => (o.metadata?.[f.field] === f.value) === f.equal))
        .sort((a, b) => keyString(kind, keyOf(kind, a, 'list')).localeCompare(keyString(kind, keyOf(kind, b, 'list'))))
        .map((o) => structuredClone(o) as never);
    },
    async create(kind, object) {
      const source = structuredClone(object) as Stored;
      const meta = (source.metadata ??= {});
      if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
      const key = keyOf(kind, source, 'create');
      if (store.has(keyString(kind, key)))
        throw statusError(kind, key, 'create', 409, 'AlreadyExists', `${kind.plural} "${key.name}" already exists`);
      if (meta.resourceVersion)
        throw statusError(
          kind,
          key,
          'create',
          500,
          'InternalError',
          'resourceVersion should not be set on objects to be created',
        );
      Object.assign(meta, {
        uid: randomUUID(),
        creationTimestamp: new Date(Math.floor(Date.now() / 1000) * 1000),
        generation: 1,
        resourceVersion: nextVersion(),
      });
      const stored = { ...source, apiVersion: kind.apiVersion, kind: kind.kind };
      store.set(keyString(kind, key), structuredClone(stored));
      return structuredClone(stored) as never;
    },
    async update(kind, object) {
      const key = keyOf(kind, object, 'update');
      const stored = current(kind, key, 'update');
      checkVersion(kind, key, object, stored, 'update');
      const next = { ...structuredClone(object), status: stored.status } as Stored;
      if (stored.status === undefined) delete next.status;
      return persist(kind, key, next, stored) as never;
    },
    async patch(kind, key, patch) {
      const stored = current(kind, key, 'patch');
      const next = patched(kind, key, stored, patch);
      checkVersion(kind, key, next, stored, 'patch');
      next.status = stored.status;
      if (stored.status === undefined) delete next.status;
      return persist(kind, key, next, stored) as never;
    },
    async apply(kind, object, _options: ApplyOptions) {
      const key = keyOf(kind, object, 'apply');
      const stored = store.get(keyString(kind, key));
      if (!stored) return client.create(kind, object);
      const { status: _status, ...rest } = object as Stored;
      const next = applyMergePatch(stored, rest) as Stored;
      return persist(kind, key, next, stored) as never;
    },
    async delete(kind, key, options: DeleteOptions = {}) {
      const stored = store.get(keyString(kind, key));
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
          stored.metadata.deletionTimestamp = new Date(Math.floor(Date.now() / 1000) * 1000);
          stored.metadata.resourceVersion = nextVersion();
        }
        return true;
      }
      store.delete(keyString(kind, key));
      return true;
    },
    async deleteAllOf(kind, options) {
      for (const object of await client.list(kind, options))
        await client.delete(kind, keyOf(kind, object, 'deletecollection'), options);
    },
    status(): StatusWriter {
      const writeStatus = (kind: ObjectKind, key: ObjectKey, status: unknown, stored: Stored) => {
        const next = { ...structuredClone(stored), status } as Stored;
        if (status === undefined) delete next.status;
        return persist(kind, key, next, stored) as never;
      };
      return {
        async update(kind, object) {
          const key = keyOf(kind, object, 'update status');
          const stored = current(kind, key, 'update status');
          checkVersion(kind, key, object, stored, 'update status');
          return writeStatus(kind, key, (object as Stored).status, stored);
        },
        async patch(kind, key, patch) {
          const stored = current(kind, key, 'patch status');
          const next = patched(kind, key, stored, patch);
          checkVersion(kind, key, next, stored, 'patch status');
          return writeStatus(kind, key, next.status, stored);
        },
        async apply(kind, object) {
          const key = keyOf(kind, object, 'apply status');
          const stored = current(kind, key, 'apply status');
          return writeStatus(kind, key, applyMergePatch(stored.status ?? {}, (object as Stored).status ?? {}), stored);
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
    const key = keyOf(kind, source, 'seed');
    const meta = source.metadata!;
    Object.assign(meta, {
      uid: meta.uid ?? randomUUID(),
      generation: meta.generation ?? 1,
      resourceVersion: nextVersion(),
    });
    store.set(keyString(kind, key), { ...source, apiVersion: kind.apiVersion, kind: kind.kind });
  }
  return client;
}
