/**
 * Subresource clients, as controller-runtime's `client.SubResource(name)`: read and write one
 * subresource of an object (`scale`, `eviction`, `token`, `approval`, `binding`, …) with its own
 * body type. `status` has its own writer (`client.status()`).
 *
 *   await client.subResource('scale').get<V1Scale>(Deployment, key)
 *   await client.subResource('scale').patch<V1Scale>(Deployment, key, { type: 'merge', body: { spec: { replicas: 3 } } })
 *   await client.subResource('eviction').create(Pod, key, { apiVersion: 'policy/v1', kind: 'Eviction', metadata: key })
 *   await client.subResource('token').create<AuthenticationV1TokenRequest>(ServiceAccount, key, { spec: { audiences: [] } })
 *   await client.subResource('approval').update(CertificateSigningRequest, { name }, csrWithApprovedCondition)
 */
import type { ObjectKey, ObjectKind, Patch, WriteOptions } from '../types.js';
import { describeRequest, requireNamespace, resourcePath } from './paths.js';
import type { Transport } from './transport.js';

/** Reads and writes one named subresource of objects of any kind. */
export interface SubResourceClient {
  /** GET `<object>/<subresource>` (scale). */
  get<S extends object>(kind: ObjectKind, key: ObjectKey): Promise<S>;
  /** POST `body` to `<object>/<subresource>` (eviction, token, binding); resolves with the server's answer. */
  create<S extends object, R extends object = S>(
    kind: ObjectKind,
    key: ObjectKey,
    body: S,
    options?: WriteOptions,
  ): Promise<R>;
  /** PUT `body` to `<object>/<subresource>` (scale; approval, whose body is the whole object). */
  update<S extends object>(kind: ObjectKind, key: ObjectKey, body: S, options?: WriteOptions): Promise<S>;
  /** PATCH `<object>/<subresource>` with a merge, JSON or strategic patch. */
  patch<S extends object>(kind: ObjectKind, key: ObjectKey, patch: Patch, options?: WriteOptions): Promise<S>;
}

const SUBRESOURCE_NAME = /^[a-z][a-z0-9-]*$/;

export const PATCH_CONTENT_TYPES: Record<Patch['type'], string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

/** The subresource client of `transport` for `name`; `writeQuery` adds the client's fieldManager and fieldValidation. */
export function subResourceClient(
  transport: Transport,
  name: string,
  writeQuery: (options?: WriteOptions) => Record<string, string | undefined>,
): SubResourceClient {
  if (!SUBRESOURCE_NAME.test(name))
    throw new Error(`subResource: "${name}" is no subresource name (lower-case letters, digits and '-', e.g. scale)`);
  if (name === 'status') throw new Error(`subResource: write the status subresource with client.status()`);
  const target = (verb: string, kind: ObjectKind, key: ObjectKey) => {
    const description = `${verb} ${name} of ${describeRequest('', kind, key).trimStart()}`;
    const k = requireNamespace(kind, key, `${verb} ${name} of`);
    return { path: resourcePath(kind, k.namespace, k.name, name), description };
  };
  return {
    get: (kind, key) => transport.request({ method: 'GET', ...target('get', kind, key) }),
    create: (kind, key, body, options) =>
      transport.request({ method: 'POST', ...target('create', kind, key), query: writeQuery(options), body }),
    update: (kind, key, body, options) =>
      transport.request({ method: 'PUT', ...target('update', kind, key), query: writeQuery(options), body }),
    patch: (kind, key, patch, options) =>
      transport.request({
        method: 'PATCH',
        ...target(`${patch.type}-patch`, kind, key),
        query: writeQuery(options),
        body: patch.type === 'json' ? patch.operations : patch.body,
        contentType: PATCH_CONTENT_TYPES[patch.type],
      }),
  };
}
