/**
 * The direct client: every call is one REST request to the apiserver (lists page through all
 * results). It is the manager's `apiReader`, the write half of the cached client, and the
 * list/watch source of informers.
 */
import type { Logger } from 'pino';
import type {
  Applied,
  ApplyOptions,
  Client,
  DeleteOptions,
  FieldValidation,
  KubeObject,
  ListOptions,
  ObjectKey,
  ObjectKind,
  Patch,
  RestConfig,
  StatusWriter,
  WriteOptions,
} from '../types.js';
import { fieldSelectorFor } from '../field-selector.js';
import { RestMapper } from './discovery.js';
import { isNotFound } from './errors.js';
import { describeRequest, requireKey, requireNamespace, resourcePath } from './paths.js';
import { PATCH_CONTENT_TYPES, subResourceClient, type SubResourceClient } from './subresources.js';
import { Transport, type TransportOptions } from './transport.js';
import { decodeWatchStream, type WatchEvent } from './watch-stream.js';

export interface ClientOptions extends TransportOptions {
  /** Field manager for create/update/patch when the call names none. Default 'kubeforge'. */
  fieldManager?: string;
  /**
   * Field validation of every write that names none: `Strict` makes an unknown or duplicate field
   * a 400 error. Default: the apiserver's (`Warn`).
   */
  fieldValidation?: FieldValidation;
  logger?: Logger;
}

export interface ListPageOptions extends ListOptions {
  /** Page size; the server may return fewer. */
  limit?: number;
  /** The `continue` token of the previous page. */
  continue?: string;
  resourceVersion?: string;
  /** Ask for PartialObjectMetadata (metadata only). */
  metadataOnly?: boolean;
  signal?: AbortSignal;
}

export interface ObjectList<T extends KubeObject> {
  items: T[];
  resourceVersion: string;
  continue?: string;
}

export interface WatchOptions extends ListOptions {
  resourceVersion?: string;
  allowWatchBookmarks?: boolean;
  /** Server-side timeout; the server ends the stream normally after it. */
  timeoutSeconds?: number;
  /** Destroy the stream when no bytes arrive for this long. Default: timeoutSeconds + 30 s. */
  idleTimeoutMs?: number;
  metadataOnly?: boolean;
  signal?: AbortSignal;
}

/** A client that always talks to the apiserver, plus discovery, paging and watches. */
export interface DirectClient extends Client {
  /** The kind serving (apiVersion, kind), from discovery (cached). */
  kindFor(apiVersion: string, kind: string): Promise<ObjectKind>;
  /** A client of one subresource (`scale`, `eviction`, `token`, `approval`, …), as controller-runtime's `SubResource`. */
  subResource(name: string): SubResourceClient;
  listPage<T extends KubeObject>(kind: ObjectKind<T>, options?: ListPageOptions): Promise<ObjectList<T>>;
  /** Opens a watch; iterate the events; ends when the server ends the stream. */
  watch<T extends KubeObject>(kind: ObjectKind<T>, options?: WatchOptions): Promise<AsyncGenerator<WatchEvent<T>>>;
  readonly transport: Transport;
  /** Closes idle keep-alive connections. */
  close(): void;
}

const PAGE_SIZE = 500;
const METADATA_LIST = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const METADATA_OBJECT = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

/** A client for `config`; `fieldManager` names this operator in managedFields. */
export function newClient(config: RestConfig, options: ClientOptions = {}): DirectClient {
  return new RestClient(new Transport(config, options), options.fieldManager ?? 'kubeforge', options.fieldValidation);
}

class RestClient implements DirectClient {
  private readonly mapper: RestMapper;
  private readonly statusWriter: StatusWriter;

  constructor(
    readonly transport: Transport,
    private readonly fieldManager: string,
    private readonly fieldValidation: FieldValidation | undefined,
  ) {
    this.mapper = new RestMapper(transport);
    this.statusWriter = {
      update: (kind, object, options) => this.put(kind, object, options, 'status'),
      patch: (kind, key, patch, options) => this.sendPatch(kind, key, patch, options, 'status'),
      apply: (kind, object, options) => this.sendApply(kind, object as KubeObject, options, 'status'),
    };
  }

  kindFor(apiVersion: string, kind: string): Promise<ObjectKind> {
    return this.mapper.kindFor(apiVersion, kind);
  }

  subResource(name: string): SubResourceClient {
    return subResourceClient(this.transport, name, (options) => this.writeQuery(options));
  }

  async get<T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey): Promise<T | undefined> {
    const k = requireNamespace(kind, key, 'get');
    try {
      const object = await this.transport.request<T>({
        method: 'GET',
        path: resourcePath(kind, k.namespace, k.name),
        description: describeRequest('get', kind, k),
      });
      return object;
    } catch (e) {
      // A 404 naming the object means it does not exist; one without details means the kind is not served.
      if (isNotFound(e) && (e as { details?: { name?: string } }).details?.name) return undefined;
      throw e;
    }
  }

  async list<T extends KubeObject>(kind: ObjectKind<T>, options: ListOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let token: string | undefined;
    do {
      const page = await this.listPage(kind, { ...options, limit: PAGE_SIZE, continue: token });
      items.push(...page.items);
      token = page.continue;
    } while (token);
    return items;
  }

  async listPage<T extends KubeObject>(kind: ObjectKind<T>, options: ListPageOptions = {}): Promise<ObjectList<T>> {
    const list = await this.transport.request<{
      items: T[] | null;
      metadata: { resourceVersion: string; continue?: string };
    }>({
      method: 'GET',
      path: resourcePath(kind, options.namespace),
      query: {
        labelSelector: options.labelSelector,
        fieldSelector: fieldSelectorFor(options),
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
      },
      accept: options.metadataOnly ? METADATA_LIST : undefined,
      signal: options.signal,
      description: describeRequest('list', kind),
    });
    const items = list.items ?? [];
    for (const item of items) stampKind(kind, item);
    return { items, resourceVersion: list.metadata.resourceVersion, continue: list.metadata.continue || undefined };
  }

  async watch<T extends KubeObject>(
    kind: ObjectKind<T>,
    options: WatchOptions = {},
  ): Promise<AsyncGenerator<WatchEvent<T>>> {
    const description = describeRequest('watch', kind);
    const res = await this.transport.stream({
      method: 'GET',
      path: resourcePath(kind, options.namespace),
      query: {
        watch: true,
        labelSelector: options.labelSelector,
        fieldSelector: options.fieldSelector,
        resourceVersion: options.resourceVersion,
        allowWatchBookmarks: options.allowWatchBookmarks,
        timeoutSeconds: options.timeoutSeconds,
      },
      accept: options.metadataOnly ? METADATA_OBJECT : undefined,
      signal: options.signal,
      description,
    });
    const idleTimeoutMs =
      options.idleTimeoutMs ?? (options.timeoutSeconds ? options.timeoutSeconds * 1000 + 30_000 : 0);
    const onIdleTimeout = () => this.transport.dropIdleSockets();
    const events = decodeWatchStream<T>(res, { idleTimeoutMs, description, onIdleTimeout });
    return options.metadataOnly ? stampEvents(kind, events) : events;
  }

  create<T extends KubeObject>(kind: ObjectKind<T>, object: T, options?: WriteOptions): Promise<T> {
    // No name is fine: generateName, or kinds that are never stored (TokenReview, SubjectAccessReview).
    const meta = object.metadata;
    const key = requireNamespace(
      kind,
      { namespace: meta?.namespace, name: meta?.name ?? meta?.generateName ?? '' },
      'create',
    );
    return this.transport.request<T>({
      method: 'POST',
      path: resourcePath(kind, key.namespace),
      query: this.writeQuery(options),
      body: withKind(kind, object),
      description: describeRequest('create', kind, key.name ? key : undefined),
    });
  }

  update<T extends KubeObject>(kind: ObjectKind<T>, object: T, options?: WriteOptions): Promise<T> {
    return this.put(kind, object, options);
  }

  patch<T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey, patch: Patch, options?: WriteOptions): Promise<T> {
    return this.sendPatch(kind, key, patch, options);
  }

  apply<T extends KubeObject>(kind: ObjectKind<T>, object: Applied<T>, options: ApplyOptions): Promise<T> {
    return this.sendApply(kind, object as KubeObject, options);
  }

  async delete<T extends KubeObject>(
    kind: ObjectKind<T>,
    key: ObjectKey,
    options: DeleteOptions = {},
  ): Promise<boolean> {
    const k = requireNamespace(kind, key, 'delete');
    try {
      await this.transport.request({
        method: 'DELETE',
        path: resourcePath(kind, k.namespace, k.name),
        body: deleteBody(options),
        description: describeRequest('delete', kind, k),
      });
      return true;
    } catch (e) {
      if (isNotFound(e) && (e as { details?: { name?: string } }).details?.name) return false;
      throw e;
    }
  }

  async deleteAllOf<T extends KubeObject>(kind: ObjectKind<T>, options: ListOptions & DeleteOptions): Promise<void> {
    if (kind.namespaced && !options.namespace) {
      throw new Error(
        `${describeRequest('deleteAllOf', kind)}: ${kind.kind} is namespaced, so a namespace is required`,
      );
    }
    await this.transport.request({
      method: 'DELETE',
      path: resourcePath(kind, options.namespace),
      query: { labelSelector: options.labelSelector, fieldSelector: fieldSelectorFor(options) },
      body: deleteBody(options),
      description: describeRequest('deleteAllOf', kind),
    });
  }

  status(): StatusWriter {
    return this.statusWriter;
  }

  close(): void {
    this.transport.close();
  }

  private put<T extends KubeObject>(
    kind: ObjectKind<T>,
    object: T,
    options?: WriteOptions,
    subresource?: string,
  ): Promise<T> {
    const verb = subresource ? 'update status of' : 'update';
    const key = requireKey(kind, object, verb);
    return this.transport.request<T>({
      method: 'PUT',
      path: resourcePath(kind, key.namespace, key.name, subresource),
      query: this.writeQuery(options),
      body: withKind(kind, object),
      description: describeRequest(verb, kind, key),
    });
  }

  private sendPatch<T extends KubeObject>(
    kind: ObjectKind<T>,
    key: ObjectKey,
    patch: Patch,
    options?: WriteOptions,
    subresource?: string,
  ): Promise<T> {
    const verb = `${patch.type}-patch${subresource ? ' status of' : ''}`;
    const k = requireNamespace(kind, key, verb);
    return this.transport.request<T>({
      method: 'PATCH',
      path: resourcePath(kind, k.namespace, k.name, subresource),
      query: this.writeQuery(options),
      body: patch.type === 'json' ? patch.operations : patch.body,
      contentType: PATCH_CONTENT_TYPES[patch.type],
      description: describeRequest(verb, kind, k),
    });
  }

  private sendApply<T extends KubeObject>(
    kind: ObjectKind<T>,
    object: KubeObject,
    options: ApplyOptions,
    subresource?: string,
  ): Promise<T> {
    const verb = subresource ? 'apply status of' : 'apply';
    if (!options?.fieldManager)
      throw new Error(`${describeRequest(verb, kind)}: server-side apply needs a fieldManager`);
    const key = requireKey(kind, object, verb);
    return this.transport.request<T>({
      method: 'PATCH',
      path: resourcePath(kind, key.namespace, key.name, subresource),
      query: { ...this.writeQuery(options), force: options.force },
      body: withKind(kind, object),
      contentType: 'application/apply-patch+yaml',
      description: describeRequest(verb, kind, key),
    });
  }

  private writeQuery(options?: WriteOptions): Record<string, string | undefined> {
    return {
      fieldManager: options?.fieldManager ?? this.fieldManager,
      dryRun: options?.dryRun ? 'All' : undefined,
      fieldValidation: options?.fieldValidation ?? this.fieldValidation,
    };
  }
}

/** The object with apiVersion and kind filled in (the apiserver requires them on writes). */
function withKind<T extends KubeObject>(kind: ObjectKind, object: T): T {
  if (object.apiVersion === kind.apiVersion && object.kind === kind.kind) return object;
  return { ...object, apiVersion: kind.apiVersion, kind: kind.kind };
}

/** List items and metadata-only objects come without (or with a meta) apiVersion/kind: set the real one. */
function stampKind(kind: ObjectKind, object: KubeObject): void {
  object.apiVersion = kind.apiVersion;
  object.kind = kind.kind;
}

async function* stampEvents<T extends KubeObject>(
  kind: ObjectKind,
  events: AsyncGenerator<WatchEvent<T>>,
): AsyncGenerator<WatchEvent<T>> {
  try {
    for await (const event of events) {
      if (event.type !== 'BOOKMARK') stampKind(kind, event.object);
      yield event;
    }
  } finally {
    await events.return(undefined);
  }
}

function deleteBody(options: DeleteOptions): object {
  return {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    propagationPolicy: options.propagationPolicy,
    gracePeriodSeconds: options.gracePeriodSeconds,
    preconditions: options.preconditions,
  };
}
