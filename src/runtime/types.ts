/**
 * The shared vocabulary of the runtime: objects, kinds, keys, reconcile requests and results,
 * and the seams between the data plane (client, watcher, informer cache) and the control plane
 * (queue, controller, manager). Everything here is a type; implementations live beside it.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import type { Logger } from 'pino';

/** Any Kubernetes object: generated API types and client-node models both fit. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
}

/**
 * Identifies a resource type at run time and carries its TS object type at compile time,
 * so `client.get(Deployment, key)` returns a `V1Deployment`. Made with `defineKind`.
 */
export interface ObjectKind<T extends KubeObject = KubeObject> {
  /** '' for the core group. */
  readonly group: string;
  readonly version: string;
  /** 'v1', 'apps/v1', 'webapp.example.com/v1'. */
  readonly apiVersion: string;
  readonly kind: string;
  /** Lower-case plural resource name as served by the apiserver ('deployments'). */
  readonly plural: string;
  readonly namespaced: boolean;
  /** Compile-time only: the object type. Never set. */
  readonly __object?: T;
}

/** The object type an `ObjectKind` describes. */
export type ObjectOf<K> = K extends ObjectKind<infer T> ? T : never;

/** namespace/name of an object; `namespace` is absent for cluster-scoped objects. */
export interface ObjectKey {
  namespace?: string;
  name: string;
}

/** What a reconciler is asked to bring in line: the key of one object, never the object. */
export type Request = ObjectKey;

/** What a reconcile returns: done, or run again after `requeueAfterMs`. */
export interface Result {
  requeueAfterMs?: number;
}

export interface ReconcileContext {
  /** Child logger carrying controller, namespace, name and reconcileId on every line. */
  readonly log: Logger;
  /** Aborted when the manager shuts down or loses leadership. */
  readonly signal: AbortSignal;
  readonly reconcileId: string;
  readonly controller: string;
}

/** The one method a controller implements. Throw to retry with backoff; `TerminalError` to give up. */
export interface Reconciler {
  reconcile(request: Request, ctx: ReconcileContext): Promise<Result>;
}

/** Callbacks an informer delivers, in order, from its single watch stream. */
export interface EventHandler<T extends KubeObject = KubeObject> {
  onAdd?(object: T, isInInitialList: boolean): void;
  onUpdate?(oldObject: T, newObject: T): void;
  onDelete?(object: T): void;
}

/** A function that maps an object to index values (e.g. owner UIDs). */
export type IndexFunc<T extends KubeObject = KubeObject> = (object: T) => string[];

/**
 * A watched, cached collection of one kind (list + watch, reflector + store). Readers never see
 * a partially built cache.
 */
export interface Informer<T extends KubeObject = KubeObject> {
  readonly kind: ObjectKind<T>;
  /** The last list or watch failure, if any (why it has not synced, say). */
  readonly lastError?: unknown;
  addEventHandler(handler: EventHandler<T>): () => void;
  addIndex(name: string, indexFunc: IndexFunc<T>): void;
  hasSynced(): boolean;
  /** Resolves true once the first list is stored; false if `signal` aborts first. */
  waitForSync(signal: AbortSignal): Promise<boolean>;
  get(key: ObjectKey): T | undefined;
  list(options?: { namespace?: string; labelSelector?: string }): T[];
  byIndex(name: string, value: string): T[];
}

/** A runnable piece of the manager: started once, stops when `signal` aborts. */
export interface Runnable {
  start(signal: AbortSignal): Promise<void>;
  /** Run only on the elected leader (controllers do; caches and servers do not). Default true. */
  readonly needLeaderElection?: boolean;
}

/** Where and how to reach an apiserver; what `kubeforge/envtest` returns and what kubeconfig loading yields. */
export interface RestConfig {
  /** https://127.0.0.1:6443 */
  server: string;
  /** PEM strings. */
  caData?: string;
  certData?: string;
  keyData?: string;
  /** Bearer token, or a file re-read when it changes (projected service-account tokens rotate). */
  token?: string;
  tokenFile?: string;
  /** Client certificate and key files, re-read when they change on disk (instead of certData/keyData). */
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  /** The name the server certificate is checked against and sent as SNI (kubeconfig `tls-server-name`). */
  tlsServerName?: string;
  /** http(s) proxy for every request (kubeconfig `proxy-url`); default: HTTPS_PROXY / NO_PROXY. */
  proxyUrl?: string;
  /** Do not ask for gzip-compressed responses (kubeconfig `disable-compression`). */
  disableCompression?: boolean;
  /** Act as another user (kubeconfig `as`, `as-uid`, `as-groups`, `as-user-extra`). */
  impersonate?: { userName?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  /** Sent as the User-Agent. */
  userAgent?: string;
}

export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /**
   * Exact field matches (controller-runtime's `MatchingFields`): the cached client answers them
   * from field indexes (`mgr.fieldIndexer.indexField`), the direct client sends a field selector.
   */
  matchingFields?: Record<string, string>;
}

/**
 * What the apiserver does with unknown or duplicate fields in a write: `Strict` refuses it (400),
 * `Warn` drops them and answers with warnings, `Ignore` drops them silently.
 */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface WriteOptions {
  fieldManager?: string;
  dryRun?: boolean;
  /** Overrides the client's `fieldValidation` for this request. */
  fieldValidation?: FieldValidation;
}

export interface ApplyOptions {
  fieldManager: string;
  force?: boolean;
  dryRun?: boolean;
  /** Overrides the client's `fieldValidation` for this request. */
  fieldValidation?: FieldValidation;
}

export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  gracePeriodSeconds?: number;
  preconditions?: { uid?: string; resourceVersion?: string };
}

export interface JsonPatchOperation {
  op: 'add' | 'remove' | 'replace' | 'test' | 'move' | 'copy';
  path: string;
  value?: unknown;
  from?: string;
}

/** Merge patch (RFC 7386), JSON patch (RFC 6902) or strategic merge patch (core kinds only). */
export type Patch =
  | { type: 'merge'; body: object }
  | { type: 'json'; operations: JsonPatchOperation[] }
  | { type: 'strategic'; body: object };

/** Every field optional, at every depth (list items too): what a server-side apply may leave out. */
export type DeepPartial<T> = T extends readonly (infer U)[]
  ? DeepPartial<U>[]
  : T extends Date
    ? T
    : T extends object
      ? { [K in keyof T]?: DeepPartial<T[K]> }
      : T;

/**
 * An object for server-side apply (`client.apply`): its identity (apiVersion, kind, metadata.name)
 * and only the fields the caller owns. `kubeforge manifests` emits one per kind of the project
 * (`<Kind>ApplyConfiguration` in api/<version>/zz_generated.applyconfigurations.ts).
 */
export type ApplyConfiguration<
  T extends KubeObject,
  ApiVersion extends string = string,
  Kind extends string = string,
> = { [K in Exclude<keyof T, 'apiVersion' | 'kind' | 'metadata'>]?: DeepPartial<T[K]> } & {
  apiVersion: ApiVersion;
  kind: Kind;
  metadata: DeepPartial<V1ObjectMeta> & { name: string };
};

/** An `ApplyConfiguration` of a namespaced kind: the namespace is part of its identity. */
export type NamespacedApplyConfiguration<
  T extends KubeObject,
  ApiVersion extends string = string,
  Kind extends string = string,
> = ApplyConfiguration<T, ApiVersion, Kind> & { metadata: { namespace: string } };

/** What `apply` takes: a whole object, or an apply configuration with only the owned fields. */
export type Applied<T extends KubeObject> = T | ApplyConfiguration<T>;

/** Writes to the status subresource. */
export interface StatusWriter {
  update<T extends KubeObject>(kind: ObjectKind<T>, object: T, options?: WriteOptions): Promise<T>;
  patch<T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey, patch: Patch, options?: WriteOptions): Promise<T>;
  apply<T extends KubeObject>(kind: ObjectKind<T>, object: Applied<T>, options: ApplyOptions): Promise<T>;
}

/**
 * Reads and writes objects of any kind. The manager's `client` reads from the informer cache
 * (starting an informer for a kind on first read) and writes to the apiserver; `apiReader`
 * always reads from the apiserver. Failures throw `ApiError` (status, reason, object).
 */
export interface Client {
  /** The object, or `undefined` when it does not exist (404). */
  get<T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey): Promise<T | undefined>;
  list<T extends KubeObject>(kind: ObjectKind<T>, options?: ListOptions): Promise<T[]>;
  create<T extends KubeObject>(kind: ObjectKind<T>, object: T, options?: WriteOptions): Promise<T>;
  /** Replaces the object; fails with 409 Conflict when its resourceVersion is stale. */
  update<T extends KubeObject>(kind: ObjectKind<T>, object: T, options?: WriteOptions): Promise<T>;
  patch<T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey, patch: Patch, options?: WriteOptions): Promise<T>;
  /** Server-side apply of a (partial) object with a field manager. */
  apply<T extends KubeObject>(kind: ObjectKind<T>, object: Applied<T>, options: ApplyOptions): Promise<T>;
  /** `false` when the object was already gone. */
  delete<T extends KubeObject>(kind: ObjectKind<T>, key: ObjectKey, options?: DeleteOptions): Promise<boolean>;
  deleteAllOf<T extends KubeObject>(kind: ObjectKind<T>, options: ListOptions & DeleteOptions): Promise<void>;
  status(): StatusWriter;
}

/** Informers of many kinds sharing one lifecycle; what the manager starts and waits on. */
export interface Cache extends Runnable {
  /** The informer for a kind, created (and started, if the cache runs) on first use. */
  informerFor<T extends KubeObject>(kind: ObjectKind<T>): Informer<T>;
  /** Resolves true once every informer has listed once; false if `signal` aborts first. */
  waitForCacheSync(signal: AbortSignal): Promise<boolean>;
}
