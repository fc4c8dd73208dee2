/**
 * Where the operator finds its apiserver: an explicit kubeconfig, `KUBECONFIG`, the in-cluster
 * service account, then `~/.kube/config`. Kubeconfigs are merged as kubectl merges them;
 * certificates, tokens and token files are read here, while exec plugins and auth providers run
 * through @kubernetes/client-node's `KubeConfig`, imported only when a kubeconfig needs one (it
 * costs ~50 MiB and ~1 s to load, so most operators never pay for it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type * as ClientNode from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import type { RestConfig } from './types.js';

/** A `RestConfig` whose credentials come from a plugin, resolved before each request. */
export interface PluginRestConfig extends RestConfig {
  /** Headers (usually `Authorization`) from an exec credential plugin or auth provider. */
  authHeaders?: () => Promise<Record<string, string>>;
}

export interface LoadRestConfigOptions {
  /** Path of a kubeconfig file; wins over everything else (the `--kubeconfig` flag). */
  kubeconfig?: string;
  /** Context to use instead of the kubeconfig's current-context. */
  context?: string;
}

export const DEFAULT_SERVICEACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Resolves the apiserver and credentials: `options.kubeconfig` → `KUBECONFIG` → in-cluster
 * (`KUBERNETES_SERVICE_HOST`/`_PORT`, token and CA from the service-account directory,
 * `KUBEFORGE_SERVICEACCOUNT_DIR` overrides it) → `~/.kube/config`.
 */
export function loadRestConfig(options: LoadRestConfigOptions = {}): PluginRestConfig {
  if (options.kubeconfig) return fromKubeconfig([options.kubeconfig], options.context, '--kubeconfig');
  const env = process.env.KUBECONFIG;
  if (env) {
    const files = env.split(process.platform === 'win32' ? ';' : ':').filter((file) => file !== '');
    if (files.length > 0) return fromKubeconfig(files, options.context, 'KUBECONFIG');
  }
  if (process.env.KUBERNETES_SERVICE_HOST && process.env.KUBERNETES_SERVICE_PORT) return inClusterConfig();
  const home = join(homedir(), '.kube', 'config');
  if (existsSync(home)) return fromKubeconfig([home], options.context, '~/.kube/config');
  throw new Error(
    'no apiserver configuration found: pass --kubeconfig, set KUBECONFIG, run in a cluster (KUBERNETES_SERVICE_HOST), or create ~/.kube/config',
  );
}

/** The in-cluster config: token file (re-read as it rotates), CA and the service host/port. */
export function inClusterConfig(): RestConfig {
  const host = process.env.KUBERNETES_SERVICE_HOST;
  const port = process.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port)
    throw new Error('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set');
  const dir = process.env.KUBEFORGE_SERVICEACCOUNT_DIR || DEFAULT_SERVICEACCOUNT_DIR;
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) throw new Error(`in-cluster config: service-account token ${tokenFile} does not exist`);
  const caFile = join(dir, 'ca.crt');
  return {
    server: `https://${host.includes(':') ? `[${host}]` : host}:${port}`,
    tokenFile,
    caData: existsSync(caFile) ? readFileSync(caFile, 'utf8') : undefined,
  };
}

interface KubeconfigEntries {
  clusters: Map<string, Located>;
  users: Map<string, Located>;
  contexts: Map<string, Located>;
  currentContext?: string;
}

/** A kubeconfig entry and the directory of its file (relative paths resolve against it). */
interface Located {
  entry: Record<string, unknown>;
  dir: string;
}

/**
 * Reads and merges kubeconfig files the way kubectl does: the first file defining a cluster, user
 * or context name wins, and so does the first current-context.
 */
function readKubeconfigs(files: string[], source: string): KubeconfigEntries {
  const merged: KubeconfigEntries = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`${source}: kubeconfig ${file} does not exist`);
    let doc: Record<string, unknown>;
    try {
      doc = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`${source}: cannot read kubeconfig ${file}: ${(e as Error).message}`, { cause: e });
    }
    const dir = dirname(resolve(file));
    const named = [
      ['clusters', 'cluster', merged.clusters],
      ['users', 'user', merged.users],
      ['contexts', 'context', merged.contexts],
    ] as const;
    for (const [list, field, into] of named) {
      for (const item of (doc[list] ?? []) as Record<string, unknown>[]) {
        const name = item?.name;
        if (typeof name === 'string' && !into.has(name))
          into.set(name, { entry: (item[field] ?? {}) as Record<string, unknown>, dir });
      }
    }
    merged.currentContext ||= (doc['current-context'] as string | undefined) || undefined;
  }
  return merged;
}

function fromKubeconfig(files: string[], context: string | undefined, source: string): PluginRestConfig {
  const kubeconfig = readKubeconfigs(files, source);
  const where = `${source} (${files.join(', ')})`;
  const contextName = context ?? kubeconfig.currentContext;
  if (!contextName) throw new Error(`${where}: no current-context; set one or pass a context`);
  const ctx = kubeconfig.contexts.get(contextName)?.entry;
  if (!ctx) {
    const known = [...kubeconfig.contexts.keys()];
    throw new Error(`${where}: context "${contextName}" not found (contexts: ${known.join(', ') || 'none'})`);
  }
  const cluster = kubeconfig.clusters.get(String(ctx.cluster));
  if (!cluster)
    throw new Error(`${where}: context "${contextName}" names cluster "${ctx.cluster}", which is not defined`);
  const server = cluster.entry.server;
  if (typeof server !== 'string' || server === '') throw new Error(`${where}: cluster "${ctx.cluster}" has no server`);
  const config: PluginRestConfig = {
    server: server.replace(/\/+$/, ''),
    caData: pem(cluster, 'certificate-authority'),
    insecureSkipTlsVerify: cluster.entry['insecure-skip-tls-verify'] === true || undefined,
  };
  if (ctx.user === undefined || ctx.user === '') return config;
  const user = kubeconfig.users.get(String(ctx.user));
  if (!user) throw new Error(`${where}: context "${contextName}" names user "${ctx.user}", which is not defined`);
  const u = user.entry;
  config.certData = pem(user, 'client-certificate');
  config.keyData = pem(user, 'client-key');
  if (typeof u.token === 'string' && u.token !== '') config.token = u.token;
  const tokenFile = u.tokenFile ?? u['token-file'];
  if (typeof tokenFile === 'string' && tokenFile !== '') config.tokenFile = resolve(user.dir, tokenFile);
  if (u.exec || u['auth-provider']) config.authHeaders = pluginHeaders(config, u);
  else if (typeof u.username === 'string' && typeof u.password === 'string') {
    const basic = Buffer.from(`${u.username}:${u.password}`).toString('base64');
    config.authHeaders = async () => ({ Authorization: `Basic ${basic}` });
  }
  return config;
}

/**
 * The module name sits in a variable so bundlers leave client-node out of operator bundles (it
 * would add ~16 MB of code and ~45 MiB RSS to every start); it loads from node_modules when needed.
 */
const CLIENT_NODE = '@kubernetes/client-node';

/**
 * Credentials from an exec plugin or auth provider, through @kubernetes/client-node's KubeConfig
 * (imported on first use; it caches credentials until they expire).
 */
function pluginHeaders(config: RestConfig, user: Record<string, unknown>): () => Promise<Record<string, string>> {
  let kubeConfig: Promise<KubeConfig> | undefined;
  return async () => {
    kubeConfig ??= (import(CLIENT_NODE) as Promise<typeof ClientNode>).then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      kc.loadFromClusterAndUser(
        { name: 'cluster', server: config.server, skipTLSVerify: config.insecureSkipTlsVerify ?? false },
        { name: 'user', exec: user.exec, authProvider: user['auth-provider'] },
      );
      return kc;
    });
    const options: { headers: Record<string, string> } = { headers: {} };
    await (await kubeConfig).applyToHTTPSOptions(options);
    return options.headers;
  };
}

/** `<field>` (a file, relative to the kubeconfig) or `<field>-data` (base64) as PEM text. */
function pem(located: Located, field: string): string | undefined {
  const file = located.entry[field];
  if (typeof file === 'string' && file !== '') return readFileSync(resolve(located.dir, file), 'utf8');
  const base64 = located.entry[`${field}-data`];
  if (typeof base64 === 'string' && base64 !== '') return Buffer.from(base64, 'base64').toString('utf8');
  return undefined;
}
