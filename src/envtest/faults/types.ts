/**
 * The public vocabulary of the fault proxy: what a request is (as the apiserver's RequestInfo sees
 * it), how a rule picks requests, and the `Faults` handle a test programs.
 */

/** A request as the proxy saw it, in the apiserver's terms (k8s.io/apiserver RequestInfo). */
export interface RequestInfo {
  /** HTTP method (`GET`, `POST`, …). */
  method: string;
  /** The path without the query (`/api/v1/namespaces/ns/configmaps/name`). */
  path: string;
  query: URLSearchParams;
  /**
   * `get`, `list`, `watch`, `create`, `update`, `patch`, `delete`, `deletecollection` for resource
   * requests; the lower-cased method for others (`/version`, `/apis`, `/openapi/v3`).
   */
  verb: string;
  /** Whether the path names a resource (`/api/v1/…`, `/apis/<group>/<version>/…` with a resource). */
  isResourceRequest: boolean;
  /** `''` for the core group. */
  apiGroup?: string;
  apiVersion?: string;
  /** Plural resource name (`configmaps`). */
  resource?: string;
  /** `status`, `scale`, `finalize`, … */
  subresource?: string;
  namespace?: string;
  name?: string;
  /** A watch: `?watch=true` or the deprecated `/watch/` path prefix. */
  watch: boolean;
  /** The protocol the client spoke to the proxy. */
  protocol: 'h2' | 'http/1.1';
}

/** A request the proxy saw, with what it did to it. */
export interface SeenRequest extends RequestInfo {
  /** `Date.now()` when it arrived. */
  at: number;
  /** The status answered to the client (set once the answer started; a watch is 200 while it streams). */
  status?: number;
  /** The fault that answered or changed it (`fail 429`, `freeze`, `delay 200ms`, …). */
  fault?: string;
}

/**
 * Which requests a rule applies to. Every given field must match; a list matches any of its
 * entries; `*` matches anything. `resources` entries may name a subresource: `pods/status`.
 */
export interface RequestMatch {
  verbs?: string | string[];
  /** Plural resource names, optionally `resource/subresource`. */
  resources?: string | string[];
  /** API group (`''` for core, `apps`, `example.com`). */
  apiGroup?: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** Only watches (`true`) or only non-watch requests (`false`). */
  watch?: boolean;
  /** Anything else, decided by you. */
  when?: (request: RequestInfo) => boolean;
}

/** How many of the matching requests a rule takes. Without either, it takes every one. */
export interface Selection {
  /** Take only the next `times` matching requests; then the rule is exhausted (it stays until removed). */
  times?: number;
  /**
   * Take each matching request with this probability (0–1), decided by a PRNG seeded from the
   * proxy's seed and the rule's number: the same test takes the same requests every run.
   */
  rate?: number;
}

export interface FailOptions extends RequestMatch, Selection {
  /** HTTP status: 429, 500, 503, 409, 410, 404, 403, … */
  status: number;
  /** With 429 or 503: the `Retry-After` header and the Status's `details.retryAfterSeconds`. */
  retryAfterSeconds?: number;
  /** The Status's message; default one in the apiserver's words for the status. */
  message?: string;
}

export interface DelayOptions extends RequestMatch, Selection {
  /** Added before the request goes on to the apiserver. */
  ms: number;
}

export interface PartitionOptions {
  /** Heal by itself after this long; without it the partition lasts until removed. */
  durationMs?: number;
  /**
   * `blackhole` (default): nothing passes either way; open connections hang (a client notices only
   * by its own timeouts or HTTP/2 PINGs), new ones are accepted but never answered; what was sent
   * meanwhile arrives after the heal, as TCP retransmits it. `reset`: open connections are reset,
   * new ones reset at once (connection refused/reset errors).
   */
  mode?: 'blackhole' | 'reset';
}

/** A rule in force; `remove()` lifts it (idempotent). */
export interface FaultHandle {
  remove(): void;
  /** How many requests (or, for a freeze, watch streams) it took so far. */
  readonly hits: number;
}

export interface PartitionHandle extends FaultHandle {
  /** Resolves when the partition heals (its duration passed, `remove()` or `reset()`). */
  readonly healed: Promise<void>;
}

/** The fault handle of a proxy; see docs/envtest.md, "Faults on demand". */
export interface Faults {
  /** Answer matching requests with an apiserver `Status` of `status` instead of forwarding them. */
  fail(options: FailOptions): FaultHandle;
  /** Hold matching requests `ms` before forwarding them. */
  delay(options: DelayOptions): FaultHandle;
  /**
   * Silence matching watch streams, open ones and new ones: the connection stays open (HTTP/2
   * PINGs are answered), no event or bookmark reaches the client; what the apiserver sends
   * meanwhile is lost. Removing the rule leaves frozen streams frozen (a dead watch stays dead until
   * the client replaces it); only new watches flow again. `reset()` ends them.
   */
  freezeWatches(match?: RequestMatch & Selection): FaultHandle;
  /**
   * Ends the matching open watch streams now; returns how many. `reset` (default) resets them
   * (HTTP/2 RST_STREAM, HTTP/1.1 socket destroyed); `end` ends them cleanly, as a server timeout does.
   */
  dropWatches(match?: RequestMatch, options?: { mode?: 'reset' | 'end' }): number;
  /**
   * Ends the matching open watch streams with an `ERROR` event carrying 410 Gone "too old resource
   * version", as the apiserver does when etcd compacted past the watch; returns how many. For new
   * watches use `fail({ verbs: 'watch', status: 410 })`, answered the same way.
   */
  expireWatches(match?: RequestMatch): number;
  /** Resets every client connection now; returns how many. New connections work. */
  cutConnections(): number;
  /** Cut the clients off from the apiserver, for `durationMs` or until removed. */
  partition(options?: PartitionOptions): PartitionHandle;
  /** The requests seen since the start or the last `reset()`, optionally only the matching ones. */
  requests(match?: RequestMatch): SeenRequest[];
  /** How many requests matched since the start or the last `reset()`. */
  count(match?: RequestMatch): number;
  /** Requests seen per `verb resource` (`list configmaps`, `get /version`). */
  counts(): Record<string, number>;
  /**
   * Removes every rule, heals a partition, ends frozen streams and clears the counters; call it
   * after each test: `afterEach(() => faults.reset())`. The PRNG starts again from the seed.
   */
  reset(): void;
}
