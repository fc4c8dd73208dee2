/**
 * Interceptors, as controller-runtime's `interceptor.Funcs`: one optional hook per verb, called
 * instead of the client's method with the wrapped client as the first argument — throw to inject
 * an error, return a value to answer yourself, or call through:
 *
 *   const client = newFakeClient([], {
 *     interceptors: {
 *       update: async (client, kind, object, options) => {
 *         if (kind === ConfigMap) throw new ApiError('update', 409, { reason: 'Conflict', message: 'injected' });
 *         return client.update(kind, object, options);
 *       },
 *     },
 *   });
 */
import type {
  Applied,
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

export interface InterceptorFuncs {
  get?<T extends KubeObject>(client: Client, kind: ObjectKind<T>, key: ObjectKey): Promise<T | undefined>;
  list?<T extends KubeObject>(client: Client, kind: ObjectKind<T>, options?: ListOptions): Promise<T[]>;
  create?<T extends KubeObject>(client: Client, kind: ObjectKind<T>, object: T, options?: WriteOptions): Promise<T>;
  update?<T extends KubeObject>(client: Client, kind: ObjectKind<T>, object: T, options?: WriteOptions): Promise<T>;
  patch?<T extends KubeObject>(
    client: Client,
    kind: ObjectKind<T>,
    key: ObjectKey,
    patch: Patch,
    options?: WriteOptions,
  ): Promise<T>;
  apply?<T extends KubeObject>(
    client: Client,
    kind: ObjectKind<T>,
    object: Applied<T>,
    options: ApplyOptions,
  ): Promise<T>;
  delete?<T extends KubeObject>(
    client: Client,
    kind: ObjectKind<T>,
    key: ObjectKey,
    options?: DeleteOptions,
  ): Promise<boolean>;
  deleteAllOf?<T extends KubeObject>(
    client: Client,
    kind: ObjectKind<T>,
    options: ListOptions & DeleteOptions,
  ): Promise<void>;
  /** `client.status().update` (controller-runtime's `SubResourceUpdate` of "status"). */
  statusUpdate?<T extends KubeObject>(
    client: Client,
    kind: ObjectKind<T>,
    object: T,
    options?: WriteOptions,
  ): Promise<T>;
  statusPatch?<T extends KubeObject>(
    client: Client,
    kind: ObjectKind<T>,
    key: ObjectKey,
    patch: Patch,
    options?: WriteOptions,
  ): Promise<T>;
  statusApply?<T extends KubeObject>(
    client: Client,
    kind: ObjectKind<T>,
    object: Applied<T>,
    options: ApplyOptions,
  ): Promise<T>;
}

/** `client` with `funcs` in front of it; verbs without a hook go straight to `client`. */
export function interceptClient(client: Client, funcs: InterceptorFuncs): Client {
  const status: StatusWriter = {
    update: (kind, object, options) =>
      funcs.statusUpdate
        ? funcs.statusUpdate(client, kind, object, options)
        : client.status().update(kind, object, options),
    patch: (kind, key, patch, options) =>
      funcs.statusPatch
        ? funcs.statusPatch(client, kind, key, patch, options)
        : client.status().patch(kind, key, patch, options),
    apply: (kind, object, options) =>
      funcs.statusApply
        ? funcs.statusApply(client, kind, object, options)
        : client.status().apply(kind, object, options),
  };
  return {
    get: (kind, key) => (funcs.get ? funcs.get(client, kind, key) : client.get(kind, key)),
    list: (kind, options) => (funcs.list ? funcs.list(client, kind, options) : client.list(kind, options)),
    create: (kind, object, options) =>
      funcs.create ? funcs.create(client, kind, object, options) : client.create(kind, object, options),
    update: (kind, object, options) =>
      funcs.update ? funcs.update(client, kind, object, options) : client.update(kind, object, options),
    patch: (kind, key, patch, options) =>
      funcs.patch ? funcs.patch(client, kind, key, patch, options) : client.patch(kind, key, patch, options),
    apply: (kind, object, options) =>
      funcs.apply ? funcs.apply(client, kind, object, options) : client.apply(kind, object, options),
    delete: (kind, key, options) =>
      funcs.delete ? funcs.delete(client, kind, key, options) : client.delete(kind, key, options),
    deleteAllOf: (kind, options) =>
      funcs.deleteAllOf ? funcs.deleteAllOf(client, kind, options) : client.deleteAllOf(kind, options),
    status: () => status,
  };
}
