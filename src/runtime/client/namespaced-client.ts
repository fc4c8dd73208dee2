/**
 * A client bound to one namespace, as controller-runtime's `NewNamespacedClient`: calls on
 * namespaced kinds get the namespace filled in (objects, keys, lists, deleteAllOf), a different
 * namespace is an error before any request, and cluster-scoped kinds pass through unchanged.
 */
import type { Client, KubeObject, ListOptions, ObjectKey, ObjectKind, StatusWriter } from '../types.js';
import type { DirectClient } from './direct-client.js';
import { describeRequest } from './paths.js';
import type { SubResourceClient } from './subresources.js';

/** A client whose namespaced calls all go to `namespace`. */
export interface NamespacedClient extends Client {
  readonly namespace: string;
}

/** A namespaced client over a direct client keeps its subresource clients, bound to the namespace too. */
export interface NamespacedDirectClient extends NamespacedClient {
  subResource(name: string): SubResourceClient;
}

export function newNamespacedClient(client: DirectClient, namespace: string): NamespacedDirectClient;
export function newNamespacedClient(client: Client, namespace: string): NamespacedClient;
export function newNamespacedClient(
  client: Client & Partial<Pick<DirectClient, 'subResource'>>,
  namespace: string,
): NamespacedClient | NamespacedDirectClient {
  if (!namespace) throw new Error('newNamespacedClient: a namespace is required');
  const mismatch = (verb: string, kind: ObjectKind, name: string | undefined, found: string) =>
    new Error(
      `${describeRequest(verb, kind)}: namespace ${found} of the object ${name ?? ''} does not match the namespace ${namespace} on the client`,
    );
  const inNamespace = <T extends KubeObject>(verb: string, kind: ObjectKind<T>, object: T): T => {
    const found = object.metadata?.namespace;
    if (found && found !== namespace) throw mismatch(verb, kind, object.metadata?.name, found);
    if (!kind.namespaced || found) return object;
    return { ...object, metadata: { ...object.metadata, namespace } };
  };
  const keyIn = (verb: string, kind: ObjectKind, key: ObjectKey): ObjectKey => {
    if (!kind.namespaced) return key;
    if (key.namespace && key.namespace !== namespace) throw mismatch(verb, kind, key.name, key.namespace);
    return { ...key, namespace };
  };
  const listIn = <O extends ListOptions>(verb: string, kind: ObjectKind, options: O): O => {
    if (!kind.namespaced) return options;
    if (options.namespace && options.namespace !== namespace) throw mismatch(verb, kind, '', options.namespace);
    return { ...options, namespace };
  };
  const status = client.status();
  // async: a refused namespace is a rejected promise, as every other client error.
  const statusWriter: StatusWriter = {
    update: async (kind, object, options) =>
      status.update(kind, inNamespace('update status of', kind, object), options),
    patch: async (kind, key, patch, options) => status.patch(kind, keyIn('patch status of', kind, key), patch, options),
    apply: async (kind, object, options) =>
      status.apply(kind, inNamespace('apply status of', kind, object as never), options),
  };
  const namespaced: NamespacedClient = {
    namespace,
    get: async (kind, key) => client.get(kind, keyIn('get', kind, key)),
    list: async (kind, options = {}) => client.list(kind, listIn('list', kind, options)),
    create: async (kind, object, options) => client.create(kind, inNamespace('create', kind, object), options),
    update: async (kind, object, options) => client.update(kind, inNamespace('update', kind, object), options),
    patch: async (kind, key, patch, options) => client.patch(kind, keyIn('patch', kind, key), patch, options),
    apply: async (kind, object, options) => client.apply(kind, inNamespace('apply', kind, object as never), options),
    delete: async (kind, key, options) => client.delete(kind, keyIn('delete', kind, key), options),
    deleteAllOf: async (kind, options) => client.deleteAllOf(kind, listIn('deleteAllOf', kind, options)),
    status: () => statusWriter,
  };
  const subResource = client.subResource?.bind(client);
  if (!subResource) return namespaced;
  return {
    ...namespaced,
    subResource(name: string): SubResourceClient {
      const inner = subResource(name);
      return {
        get: async (kind, key) => inner.get(kind, keyIn(`get ${name} of`, kind, key)),
        create: async (kind, key, body, options) =>
          inner.create(kind, keyIn(`create ${name} of`, kind, key), body, options),
        update: async (kind, key, body, options) =>
          inner.update(kind, keyIn(`update ${name} of`, kind, key), body, options),
        patch: async (kind, key, patch, options) =>
          inner.patch(kind, keyIn(`patch ${name} of`, kind, key), patch, options),
      };
    },
  };
}
