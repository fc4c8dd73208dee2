/**
 * Manager options and the command-line flags every generated operator accepts (the same
 * flags as a kubebuilder `cmd/main.go`). Bad flags fail with a message naming the flag.
 */
import type { CacheOptions } from '../cache/index.js';
import type { TransportOptions } from '../client/index.js';
import type { ControllerOptions } from '../controller/index.js';
import type { LeaderElectionOptions } from '../leader/index.js';
import type { Logger } from '../log.js';
import { isLogLevel, LOG_LEVELS, type LogOptions } from '../log.js';
import { applyLogFlag, LOG_BOOLEAN_FLAGS, LOG_VALUE_FLAGS, type LogFlagSettings } from '../log-flags.js';
import type { RestConfig } from '../types.js';
import type { WebhookServerOptions } from '../webhook/index.js';

export interface ManagerOptions {
  /** Where the apiserver is; default: `loadRestConfig({ kubeconfig, context })`. */
  restConfig?: RestConfig;
  kubeconfig?: string;
  /** Kubeconfig context to use instead of its current-context (`--context`). */
  context?: string;
  /** The REST client's rate limit (`qps` 20, `burst` 30; `qps: -1` disables), timeouts, retries and HTTP/2. */
  client?: Omit<TransportOptions, 'logger'>;
  /**
   * Watch only this namespace (Role instead of ClusterRole). Default: all namespaces. The same as
   * `cache.defaultNamespaces: [namespace]`, which also takes several.
   */
  namespace?: string;
  /** host:port of the metrics endpoint; ':8443' by default (':8080' when not secure); '0' disables it. */
  metricsBindAddress?: string;
  /** How `/metrics` is served: HTTPS behind authentication and authorization by default. */
  metricsServer?: MetricsServerOptions;
  /** Offer HTTP/2 on the metrics and webhook servers. Default false: HTTP/2 rapid reset (CVE-2023-44487). */
  enableHTTP2?: boolean;
  /** host:port of /healthz and /readyz; ':8081' by default; '0' disables it. */
  healthProbeBindAddress?: string;
  /** Run controllers only while holding this Lease. Default: off. */
  leaderElection?: LeaderElectionOptions | false;
  /** The Lease name `--leader-elect` uses. */
  leaderElectionId?: string;
  /** How long in-flight reconciles (and other runnables) get to finish on shutdown. Default 30 s. */
  gracefulShutdownTimeoutMs?: number;
  /** Defaults for every controller of this manager (controller-runtime's `Options.Controller`); `withOptions` wins. */
  controller?: ControllerOptions;
  /**
   * Default namespaces and selectors, `syncPeriodMs`, per-kind selectors and namespaces
   * (`byObject`), metadata-only kinds, a transform.
   */
  cache?: Omit<CacheOptions, 'logger' | 'namespace'>;
  /** Address, certificates and limits of `mgr.webhookServer()`. Default: `webhookServerOptionsFromEnv()`. */
  webhookServer?: WebhookServerOptions;
  /** Field manager for the manager's client. Default 'kubeforge'. */
  fieldManager?: string;
  logger?: Logger;
  /** Used when no `logger` is given: trace, debug, info (default), warn, error, fatal, silent. */
  logLevel?: string;
  /** Used when no `logger` is given: json or console encoding, development mode, stacktrace level, time encoding. */
  log?: Omit<LogOptions, 'level'>;
}

export interface MetricsServerOptions {
  /**
   * HTTPS, and every request authenticated (TokenReview) and authorized (SubjectAccessReview for
   * `get` on `/metrics`) by the apiserver. Default true; false serves plain HTTP to anyone who can
   * connect — for local development only.
   */
  secure?: boolean;
  /** Directory of the serving certificate (reloaded when it changes); default: self-signed at start. */
  certDir?: string;
  /** Default `tls.crt`. */
  certName?: string;
  /** Default `tls.key`. */
  keyName?: string;
  /** How long authentication and authorization answers are reused; 0 disables the cache. Default 10 s. */
  authCacheTtlMs?: number;
}

/** A bind address: `{ host, port }`, or `undefined` for '0' (disabled). Empty host means all interfaces. */
export function parseBindAddress(value: string, flag: string): { host?: string; port: number } | undefined {
  if (value === '0') return undefined;
  const m = value.match(/^(\[[0-9a-fA-F:.]+\]|[^:[\]]*):(\d{1,5})$/);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535)
    throw new Error(`${flag}: invalid bind address "${value}" (expected host:port, :port, or 0 to disable)`);
  const host = m[1].replace(/^\[(.*)\]$/, '$1');
  return host ? { host, port } : { port };
}

const VALUE_FLAGS = [
  'metrics-bind-address',
  'metrics-cert-path',
  'metrics-cert-name',
  'metrics-cert-key',
  'health-probe-bind-address',
  'namespace',
  'kubeconfig',
  'context',
  'kube-api-qps',
  'kube-api-burst',
  'log-level',
  ...LOG_VALUE_FLAGS,
] as const;
const BOOLEAN_FLAGS = ['leader-elect', 'metrics-secure', 'enable-http2', ...LOG_BOOLEAN_FLAGS] as const;

/**
 * Manager options from the flags of a kubebuilder `cmd/main.go` (`--flag value` or `--flag=value`,
 * booleans also bare), over `defaults`: `--metrics-bind-address`, `--metrics-secure`,
 * `--metrics-cert-path`, `--metrics-cert-name`, `--metrics-cert-key`, `--enable-http2`,
 * `--health-probe-bind-address`, `--leader-elect`, `--namespace`, `--kubeconfig`, `--context`,
 * `--kube-api-qps` and `--kube-api-burst` (the client's rate limit; -1 disables), `--log-level` and
 * controller-runtime's zap flags (`log-flags.ts`). As Go's flag package, one dash works too (`-v=1`).
 */
export function managerOptionsFromArgs(argv: string[], defaults: Partial<ManagerOptions> = {}): ManagerOptions {
  const options: ManagerOptions = { ...defaults };
  const metricsServer = (set: MetricsServerOptions) => (options.metricsServer = { ...options.metricsServer, ...set });
  let leaderElect = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = arg.match(/^--?([a-z0-9-]+)(?:=(.*))?$/s);
    if (!m)
      throw new Error(
        `unexpected argument "${arg}" (flags: ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].map((f) => `--${f}`).join(', ')})`,
      );
    const [, name, inline] = m;
    if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false')
        throw new Error(`--${name}: expected true or false, got "${inline}"`);
      const on = inline !== 'false';
      if (name === 'leader-elect') leaderElect = on;
      else if (name === 'metrics-secure') metricsServer({ secure: on });
      else if (name === 'zap-devel') options.log = { ...options.log, development: on };
      else options.enableHTTP2 = on;
      continue;
    }
    if (!(VALUE_FLAGS as readonly string[]).includes(name)) {
      throw new Error(
        `unknown flag --${name} (flags: ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].map((f) => `--${f}`).join(', ')})`,
      );
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      throw new Error(`--${name} needs a value`);
    switch (name as (typeof VALUE_FLAGS)[number]) {
      case 'metrics-bind-address':
        parseBindAddress(value, '--metrics-bind-address');
        options.metricsBindAddress = value;
        break;
      case 'metrics-cert-path':
        metricsServer({ certDir: value });
        break;
      case 'metrics-cert-name':
        metricsServer({ certName: value });
        break;
      case 'metrics-cert-key':
        metricsServer({ keyName: value });
        break;
      case 'health-probe-bind-address':
        parseBindAddress(value, '--health-probe-bind-address');
        options.healthProbeBindAddress = value;
        break;
      case 'namespace':
        if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))
          throw new Error(`--namespace: "${value}" is not a valid namespace name`);
        options.namespace = value;
        break;
      case 'kubeconfig':
        options.kubeconfig = value;
        break;
      case 'context':
        options.context = value;
        break;
      case 'kube-api-qps':
      case 'kube-api-burst': {
        const number = Number(value);
        const qps = name === 'kube-api-qps';
        if (
          value.trim() === '' ||
          !Number.isFinite(number) ||
          number === 0 ||
          (!qps && (number < 1 || !Number.isInteger(number)))
        )
          throw new Error(
            `--${name}: "${value}" is not ${qps ? 'a positive number (-1 disables the limit)' : 'a whole number ≥ 1'}`,
          );
        options.client = { ...options.client, [qps ? 'qps' : 'burst']: number };
        break;
      }
      case 'log-level':
        if (!isLogLevel(value)) throw new Error(`--log-level: "${value}" is not one of ${LOG_LEVELS.join(', ')}`);
        options.logLevel = value;
        break;
      default: {
        const settings: LogFlagSettings = { log: { ...options.log } };
        applyLogFlag(name as (typeof LOG_VALUE_FLAGS)[number], value, settings);
        options.log = settings.log;
        if (settings.level) options.logLevel = settings.level;
      }
    }
  }
  if (leaderElect) {
    const id = options.leaderElectionId;
    if (!id)
      throw new Error(
        '--leader-elect needs a lease name: pass leaderElectionId in the defaults of managerOptionsFromArgs',
      );
    options.leaderElection = { ...(defaults.leaderElection || {}), id };
  }
  return options;
}
