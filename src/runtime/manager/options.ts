/**
 * Manager options and the command-line flags every generated operator accepts (the same
 * flags as a kubebuilder `cmd/main.go`). Bad flags fail with a message naming the flag.
 */
import type { CacheOptions } from '../cache/index.js';
import type { LeaderElectionOptions } from '../leader/index.js';
import type { Logger } from '../log.js';
import { isLogLevel, LOG_LEVELS } from '../log.js';
import type { RestConfig } from '../types.js';
import type { WebhookServerOptions } from '../webhook/index.js';

export interface ManagerOptions {
  /** Where the apiserver is; default: `loadRestConfig({ kubeconfig })`. */
  restConfig?: RestConfig;
  kubeconfig?: string;
  /** Watch only this namespace (Role instead of ClusterRole). Default: all namespaces. */
  namespace?: string;
  /** host:port of the metrics endpoint; ':8080' by default; '0' disables it. */
  metricsBindAddress?: string;
  /** host:port of /healthz and /readyz; ':8081' by default; '0' disables it. */
  healthProbeBindAddress?: string;
  /** Run controllers only while holding this Lease. Default: off. */
  leaderElection?: LeaderElectionOptions | false;
  /** The Lease name `--leader-elect` uses. */
  leaderElectionId?: string;
  /** How long in-flight reconciles (and other runnables) get to finish on shutdown. Default 30 s. */
  gracefulShutdownTimeoutMs?: number;
  /** Per-kind selectors and namespaces (`byObject`), metadata-only kinds, a transform. */
  cache?: Omit<CacheOptions, 'logger' | 'namespace'>;
  /** Address, certificates and limits of `mgr.webhookServer()`. Default: `webhookServerOptionsFromEnv()`. */
  webhookServer?: WebhookServerOptions;
  /** Field manager for the manager's client. Default 'kubeforge'. */
  fieldManager?: string;
  logger?: Logger;
  /** Used when no `logger` is given: trace, debug, info (default), warn, error, fatal, silent. */
  logLevel?: string;
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
  'health-probe-bind-address',
  'namespace',
  'kubeconfig',
  'log-level',
] as const;
const BOOLEAN_FLAGS = ['leader-elect'] as const;

/**
 * Manager options from `--metrics-bind-address`, `--health-probe-bind-address`, `--leader-elect`,
 * `--namespace`, `--kubeconfig` and `--log-level` (`--flag value` or `--flag=value`), over `defaults`.
 */
export function managerOptionsFromArgs(argv: string[], defaults: Partial<ManagerOptions> = {}): ManagerOptions {
  const options: ManagerOptions = { ...defaults };
  let leaderElect = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = arg.match(/^--([a-z-]+)(?:=(.*))?$/s);
    if (!m)
      throw new Error(
        `unexpected argument "${arg}" (flags: ${[...VALUE_FLAGS, ...BOOLEAN_FLAGS].map((f) => `--${f}`).join(', ')})`,
      );
    const [, name, inline] = m;
    if ((BOOLEAN_FLAGS as readonly string[]).includes(name)) {
      if (inline !== undefined && inline !== 'true' && inline !== 'false')
        throw new Error(`--${name}: expected true or false, got "${inline}"`);
      leaderElect = inline !== 'false';
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
      case 'log-level':
        if (!isLogLevel(value)) throw new Error(`--log-level: "${value}" is not one of ${LOG_LEVELS.join(', ')}`);
        options.logLevel = value;
        break;
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
