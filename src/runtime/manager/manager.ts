/**
 * The manager runs everything an operator is made of, in three groups:
 * 1. servers (metrics, health probes, the webhook server once asked for) and the informer cache,
 *    plus runnables that do not need leadership — started at once;
 * 2. leader-only runnables (controllers) — started once this replica leads (at once without
 *    leader election); controllers wait for the caches to sync before their workers start;
 * 3. leader election itself, renewing the Lease while it leads.
 * Shutdown (the `start` signal aborts): leader-only runnables stop intake and finish in-flight
 * work within `gracefulShutdownTimeoutMs`; then the Lease is released (`releaseOnCancel`), the
 * cache and servers stop, and `start` resolves. Losing the Lease, or a runnable failing, stops
 * everything at once and `start` rejects (so the process exits non-zero, as controller-runtime's).
 */
import { setMaxListeners } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachedClient, newCache, type FieldIndexer, type InformerCache } from '../cache/index.js';
import { newClient, type DirectClient } from '../client/index.js';
import { Controller, type ControllerOptions } from '../controller/index.js';
import { loadRestConfig } from '../config.js';
import { newEventRecorder, type EventRecorder } from '../helpers/index.js';
import { LeaseElector } from '../leader/index.js';
import { newLogger, type Logger } from '../log.js';
import { exportRestClientMetrics } from '../metrics/index.js';
import type { Cache, Client, Runnable } from '../types.js';
import { WebhookServer, webhookServerOptionsFromEnv } from '../webhook/index.js';
import { serveMetrics, serveProbes, type Check, type Listening } from './http-servers.js';
import { parseBindAddress, type ManagerOptions } from './options.js';

export interface Manager {
  /** Reads from the informer cache, writes to the apiserver. */
  readonly client: Client;
  /** Always reads from the apiserver. */
  readonly apiReader: DirectClient;
  /**
   * The informer cache (`changeNamespaces` changes the namespaces it watches at run time; `audit`
   * diffs it against the apiserver; `checkLiveness` is the `informers` ready check).
   */
  readonly cache: Cache & Pick<InformerCache, 'changeNamespaces' | 'defaultNamespaces' | 'audit' | 'checkLiveness'>;
  /** Field indexes for the cached client's `list(kind, { matchingFields })` (controller-runtime's `GetFieldIndexer`). */
  readonly fieldIndexer: FieldIndexer;
  /** `ManagerOptions.controller`: what every controller built on this manager starts from. */
  readonly controllerDefaults?: ControllerOptions;
  readonly logger: Logger;
  /** This replica's identity (Lease holder, Event reportingInstance). */
  readonly identity: string;
  /** The event recorder reporting as `name` (events.k8s.io/v1); one per name, so repeats are de-duplicated. */
  eventRecorder(name: string): EventRecorder;
  /**
   * The manager's webhook server (options from `ManagerOptions.webhookServer`, else the environment),
   * created on first call and run on every replica, with a `webhook` ready check. `webhookFor` and
   * `conversionFor` register their handlers on it.
   */
  webhookServer(): WebhookServer;
  /** Adds a runnable; a `Controller` whose name another controller of this manager has is refused. */
  add(runnable: Runnable): void;
  addHealthCheck(name: string, check: Check): void;
  addReadyCheck(name: string, check: Check): void;
  /** Where the metrics and probe servers listen, once `start` has bound them (empty if it failed first). */
  serving(): Promise<{ metrics?: string; healthProbe?: string }>;
  /** Runs until `signal` aborts (resolves after a graceful shutdown) or something fails (rejects). */
  start(signal: AbortSignal): Promise<void>;
}

function podNamespace(): string | undefined {
  const dir = process.env.KUBEFORGE_SERVICEACCOUNT_DIR || '/var/run/secrets/kubernetes.io/serviceaccount';
  try {
    return readFileSync(join(dir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

interface Started {
  runnable: Runnable;
  done: Promise<void>;
}

class ControllerManager implements Manager {
  readonly identity: string;
  private readonly leaderRunnables: Runnable[] = [];
  private readonly otherRunnables: Runnable[] = [];
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly controllerNames = new Set<string>();
  private readonly health = new Map<string, Check>();
  private readonly ready = new Map<string, Check>();
  private readonly elector: LeaseElector | undefined;
  private webhooks: WebhookServer | undefined;
  private readonly serversBound: Promise<{ metrics?: string; healthProbe?: string }>;
  private resolveServers!: (value: { metrics?: string; healthProbe?: string }) => void;
  private failure: ((error: unknown) => void) | undefined;
  private leaderSignal: AbortSignal | undefined;
  private otherSignal: AbortSignal | undefined;
  private readonly startedLeader: Started[] = [];
  private readonly startedOther: Started[] = [];
  private started = false;

  constructor(
    readonly client: Client,
    readonly apiReader: DirectClient,
    readonly cache: InformerCache,
    readonly logger: Logger,
    private readonly options: ManagerOptions,
  ) {
    const leader = options.leaderElection;
    this.elector = leader
      ? new LeaseElector(
          apiReader,
          { ...leader, namespace: leader.namespace ?? options.namespace ?? podNamespace() ?? 'default' },
          logger.child({ component: 'leader-election' }),
        )
      : undefined;
    this.identity = this.elector?.identity ?? `${process.env.HOSTNAME ?? 'kubeforge'}_${process.pid}`;
    this.serversBound = new Promise((resolve) => (this.resolveServers = resolve));
    this.ready.set('cache-sync', () => {
      if (!this.cache.isStarted() || !this.cache.hasSynced()) throw new Error('caches have not synced yet');
    });
    this.ready.set('informers', () => this.cache.checkLiveness());
  }

  eventRecorder(name: string): EventRecorder {
    let recorder = this.recorders.get(name);
    if (!recorder) {
      recorder = newEventRecorder(this.client, {
        reportingController: name,
        reportingInstance: this.identity,
        logger: this.logger,
      });
      this.recorders.set(name, recorder);
    }
    return recorder;
  }

  webhookServer(): WebhookServer {
    if (!this.webhooks) {
      const server = new WebhookServer({
        logger: this.logger,
        enableHTTP2: this.options.enableHTTP2,
        ...(this.options.webhookServer ?? webhookServerOptionsFromEnv()),
      });
      this.webhooks = server;
      this.add(server);
      this.addReadyCheck('webhook', server.readyCheck);
    }
    return this.webhooks;
  }

  get fieldIndexer(): FieldIndexer {
    return this.cache;
  }

  get controllerDefaults(): ControllerOptions | undefined {
    return this.options.controller;
  }

  add(runnable: Runnable): void {
    if (runnable instanceof Controller && !runnable.skipNameValidation) {
      if (this.controllerNames.has(runnable.name))
        throw new Error(
          `controller with name ${runnable.name} already exists. Controller names must be unique to avoid multiple controllers reporting the same metric; name one with .named(…), or set skipNameValidation`,
        );
      this.controllerNames.add(runnable.name);
    }
    const needsLeader = runnable.needLeaderElection ?? true;
    (needsLeader ? this.leaderRunnables : this.otherRunnables).push(runnable);
    if (needsLeader && this.leaderSignal) this.run(runnable, this.leaderSignal, this.startedLeader);
    if (!needsLeader && this.otherSignal) this.run(runnable, this.otherSignal, this.startedOther);
  }

  addHealthCheck(name: string, check: Check): void {
    if (this.health.has(name)) throw new Error(`health check "${name}" already exists`);
    this.health.set(name, check);
  }

  addReadyCheck(name: string, check: Check): void {
    if (this.ready.has(name)) throw new Error(`ready check "${name}" already exists`);
    this.ready.set(name, check);
  }

  serving(): Promise<{ metrics?: string; healthProbe?: string }> {
    return this.serversBound;
  }

  private run(runnable: Runnable, signal: AbortSignal, into: Started[]): void {
    const done = Promise.resolve()
      .then(() => runnable.start(signal))
      .catch((err) => {
        if (!signal.aborted) this.failure?.(err);
        else this.logger.error({ err }, 'runnable failed while stopping');
      });
    into.push({ runnable, done });
  }

  async start(signal: AbortSignal): Promise<void> {
    if (this.started) throw new Error('manager already started');
    this.started = true;
    const leaderAbort = new AbortController();
    const otherAbort = new AbortController();
    // Every informer, controller and worker listens on these: more than Node's default of 10 is normal.
    setMaxListeners(0, leaderAbort.signal, otherAbort.signal);
    let failed: { error: unknown } | undefined;
    const stopped = new Promise<void>((resolve) => {
      this.failure = (error) => {
        failed ??= { error };
        resolve();
      };
      if (signal.aborted) resolve();
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const servers: Listening[] = [];
    try {
      const secure = this.options.metricsServer?.secure ?? true;
      const metricsAddress = parseBindAddress(
        this.options.metricsBindAddress ?? (secure ? ':8443' : ':8080'),
        'metricsBindAddress',
      );
      const probeAddress = parseBindAddress(this.options.healthProbeBindAddress ?? ':8081', 'healthProbeBindAddress');
      const metrics =
        metricsAddress &&
        (await serveMetrics(metricsAddress, {
          ...this.options.metricsServer,
          secure,
          enableHTTP2: this.options.enableHTTP2,
          client: this.apiReader,
          logger: this.logger,
        }));
      if (metrics) servers.push(metrics);
      const probes = probeAddress && (await serveProbes(probeAddress, this.health, this.ready));
      if (probes) servers.push(probes);
      this.resolveServers({ metrics: metrics ? metrics.url : undefined, healthProbe: probes ? probes.url : undefined });
      this.logger.info(
        {
          metrics: metrics ? metrics.url : 'disabled',
          metricsAuth: metrics && secure ? 'TokenReview + SubjectAccessReview' : 'none',
          healthProbe: probes ? probes.url : 'disabled',
        },
        'starting manager',
      );

      this.otherSignal = otherAbort.signal;
      this.run(this.cache, otherAbort.signal, this.startedOther);
      for (const r of this.otherRunnables) this.run(r, otherAbort.signal, this.startedOther);

      if (this.elector) {
        const elector = this.elector;
        const leading = await Promise.race([elector.acquire(leaderAbort.signal), stopped.then(() => false)]);
        if (leading) {
          elector.hold(leaderAbort.signal).catch((err) => {
            leaderAbort.abort(err);
            this.failure?.(err);
          });
        }
      }
      if (!failed && !signal.aborted) {
        this.leaderSignal = leaderAbort.signal;
        for (const r of this.leaderRunnables) this.run(r, leaderAbort.signal, this.startedLeader);
      }
      await stopped;
    } finally {
      this.resolveServers({});
      await this.shutdown(leaderAbort, otherAbort, servers, failed !== undefined);
    }
    if (failed) throw failed.error;
  }

  private async shutdown(
    leaderAbort: AbortController,
    otherAbort: AbortController,
    servers: Listening[],
    failed: boolean,
  ): Promise<void> {
    const deadline = Date.now() + (this.options.gracefulShutdownTimeoutMs ?? 30_000);
    const waitAll = async (group: Started[], what: string) => {
      const remaining = Math.max(0, deadline - Date.now());
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = await Promise.race([
        Promise.all(group.map((s) => s.done)).then(() => false),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), remaining))),
      ]);
      clearTimeout(timer);
      if (timedOut) this.logger.error(`${what} did not stop within the graceful shutdown timeout`);
    };
    this.logger.info('stopping: waiting for leader-election runnables to finish');
    leaderAbort.abort();
    await waitAll(this.startedLeader, 'leader-election runnables');
    if (this.elector && !failed && this.options.leaderElection && this.options.leaderElection.releaseOnCancel)
      await this.elector.release();
    otherAbort.abort();
    await waitAll(this.startedOther, 'caches and other runnables');
    await Promise.all(servers.map((server) => server.close()));
    this.apiReader.close();
    this.logger.info('manager stopped');
  }
}

/** A manager connected to the apiserver from `options` (nothing runs until `start`). */
export async function newManager(options: ManagerOptions = {}): Promise<Manager> {
  const logger = options.logger ?? newLogger({ ...options.log, level: options.logLevel });
  const restConfig = options.restConfig ?? loadRestConfig({ kubeconfig: options.kubeconfig, context: options.context });
  exportRestClientMetrics();
  const apiReader = newClient(restConfig, { ...options.client, fieldManager: options.fieldManager, logger });
  const cache = newCache(apiReader, { namespace: options.namespace, ...options.cache, logger });
  const client = cachedClient(cache, apiReader);
  return new ControllerManager(client, apiReader, cache, logger, options);
}
