/**
 * Where the operator finds its apiserver, as controller-runtime's `config.GetConfig` does: an
 * explicit kubeconfig; else, when `KUBECONFIG` is unset, the in-cluster service account; else the
 * `KUBECONFIG` files (missing ones skipped) or `~/.kube/config`. Kubeconfigs are merged as kubectl
 * merges them. Every field client-go reads is read here (docs/runtime-data.md has the table); what
 * kubeforge cannot honour fails with a message naming the field and the file. Exec plugins run in
 * the transport (client/exec-credentials.ts); auth providers run through
 * @kubernetes/client-node's `KubeConfig`, imported only when a kubeconfig names one (it costs
 * ~50 MiB and ~1 s to load, so most operators never pay for it).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import type * as ClientNode from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
import { parse as parseYaml } from 'yaml';
import type { RestConfig } from './types.js';

/** A `RestConfig` whose credentials come from a plugin. */
export interface PluginRestConfig extends RestConfig {
  /** Headers (usually `Authorization`) from an auth provider or basic auth, resolved before each request. */
  authHeaders?: () => Promise<Record<string, string>>;
  /** An exec credential plugin (kubeconfig `user.exec`), run by the transport. */
  exec?: ExecPluginConfig;
}

/** `user.exec` of a kubeconfig (client.authentication.k8s.io), with the command resolved. */
export interface ExecPluginConfig {
  apiVersion: 'client.authentication.k8s.io/v1' | 'client.authentication.k8s.io/v1beta1';
  /** A bare name is looked up on PATH; a relative path was resolved against the kubeconfig's directory. */
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode: 'Never' | 'IfAvailable' | 'Always';
  /** The cluster's `client.authentication.k8s.io/exec` extension, passed as `spec.cluster.config`. */
  clusterConfig?: unknown;
  /** Names the kubeconfig user in errors. */
  source: string;
}

export interface LoadRestConfigOptions {
  /** Path of a kubeconfig file; wins over everything else (the `--kubeconfig` flag). */
  kubeconfig?: string;
  /** Context to use instead of the kubeconfig's current-context (the `--context` flag). */
  context?: string;
}

export const DEFAULT_SERVICEACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/**
 * Resolves the apiserver and credentials: `options.kubeconfig` → (only when `KUBECONFIG` is unset)
 * in-cluster (`KUBERNETES_SERVICE_HOST`/`_PORT`, token and CA from the service-account directory,
 * `KUBEFORGE_SERVICEACCOUNT_DIR` overrides it) → the `KUBECONFIG` files or `~/.kube/config`.
 */
export function loadRestConfig(options: LoadRestConfigOptions = {}): PluginRestConfig {
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig))
      throw new Error(`--kubeconfig: kubeconfig ${options.kubeconfig} does not exist`);
    return fromKubeconfig([options.kubeconfig], options.context, '--kubeconfig');
  }
  const env = process.env.KUBECONFIG;
  let inClusterError: Error | undefined;
  if (!env && process.env.KUBERNETES_SERVICE_HOST && process.env.KUBERNETES_SERVICE_PORT) {
    try {
      return inClusterConfig();
    } catch (e) {
      inClusterError = e as Error;
    }
  }
  const files = env
    ? env.split(process.platform === 'win32' ? ';' : ':').filter((file) => file !== '')
    : [join(homedir(), '.kube', 'config')];
  const existing = files.filter((file) => existsSync(file));
  if (existing.length > 0) return fromKubeconfig(existing, options.context, env ? 'KUBECONFIG' : '~/.kube/config');
  if (env) throw new Error(`KUBECONFIG: none of its kubeconfig files exists (${files.join(', ')})`);
  throw new Error(
    `no apiserver configuration found: pass --kubeconfig, set KUBECONFIG, run in a cluster (KUBERNETES_SERVICE_HOST), or create ~/.kube/config${inClusterError ? ` (${inClusterError.message})` : ''}`,
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

/** A kubeconfig entry, the file it came from and its directory (relative paths resolve against it). */
interface Located {
  entry: Record<string, unknown>;
  file: string;
  dir: string;
  /** 'user "alice" in /home/me/.kube/config' */
  where: string;
}

/**
 * Reads and merges kubeconfig files the way kubectl does: the first file defining a cluster, user
 * or context name wins, and so does the first current-context.
 */
function readKubeconfigs(files: string[], source: string): KubeconfigEntries {
  const merged: KubeconfigEntries = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
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
        if (typeof name === 'string' && !into.has(name)) {
          const entry = (item[field] ?? {}) as Record<string, unknown>;
          into.set(name, { entry, file, dir, where: `${field} "${name}" in ${file}` });
        }
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
  const config = clusterConfig(cluster);
  if (ctx.user === undefined || ctx.user === '') return config;
  const user = kubeconfig.users.get(String(ctx.user));
  if (!user) throw new Error(`${where}: context "${contextName}" names user "${ctx.user}", which is not defined`);
  applyUser(config, user, cluster);
  return config;
}

function clusterConfig(cluster: Located): PluginRestConfig {
  const c = cluster.entry;
  const server = c.server;
  if (typeof server !== 'string' || server === '') throw new Error(`${cluster.where}: no server`);
  const config: PluginRestConfig = {
    server: server.replace(/\/+$/, ''),
    caData: pem(cluster, 'certificate-authority'),
    insecureSkipTlsVerify: c['insecure-skip-tls-verify'] === true || undefined,
    tlsServerName: optionalString(cluster, 'tls-server-name'),
    disableCompression: c['disable-compression'] === true || undefined,
  };
  if (config.insecureSkipTlsVerify && config.caData)
    throw new Error(
      `${cluster.where}: insecure-skip-tls-verify and certificate-authority cannot both be set (as kubectl refuses)`,
    );
  const proxyUrl = optionalString(cluster, 'proxy-url');
  if (proxyUrl) {
    const scheme = proxyUrl.match(/^([a-z0-9+.-]+):\/\//i)?.[1]?.toLowerCase();
    if (!['http', 'https', 'socks5', 'socks5h'].includes(scheme ?? ''))
      throw new Error(`${cluster.where}: proxy-url "${proxyUrl}": the scheme must be http, https or socks5`);
    config.proxyUrl = proxyUrl;
  }
  return config;
}

function applyUser(config: PluginRestConfig, user: Located, cluster: Located): void {
  const u = user.entry;
  const certFile = fileField(user, 'client-certificate');
  const keyFile = fileField(user, 'client-key');
  if (certFile) config.certFile = certFile;
  else config.certData = pem(user, 'client-certificate');
  if (keyFile) config.keyFile = keyFile;
  else config.keyData = pem(user, 'client-key');
  if (!(config.certFile || config.certData) !== !(config.keyFile || config.keyData))
    throw new Error(`${user.where}: client-certificate and client-key (or their -data) must be given together`);
  const token = optionalString(user, 'token');
  if (token) config.token = token;
  const tokenFile = fileField(user, 'tokenFile');
  if (tokenFile && !token) config.tokenFile = tokenFile;
  const userName = optionalString(user, 'as');
  const uid = optionalString(user, 'as-uid');
  const groups = stringList(user, 'as-groups');
  const extra = u['as-user-extra'] as Record<string, unknown> | undefined;
  if (userName || uid || groups.length > 0 || extra) {
    if (!userName && (groups.length > 0 || extra || uid))
      throw new Error(`${user.where}: as-groups, as-uid and as-user-extra need "as" (the user to impersonate)`);
    config.impersonate = { userName, uid, groups: groups.length > 0 ? groups : undefined };
    if (extra) {
      config.impersonate.extra = Object.fromEntries(
        Object.entries(extra).map(([key, values]) => {
          if (!Array.isArray(values)) throw new Error(`${user.where}: as-user-extra.${key} must be a list of strings`);
          return [key, values.map(String)];
        }),
      );
    }
  }
  const exec = u.exec as Record<string, unknown> | undefined;
  const authProvider = u['auth-provider'] as Record<string, unknown> | undefined;
  const basic = typeof u.username === 'string' && typeof u.password === 'string';
  if (exec) config.exec = execConfig(user, exec, cluster);
  else if (authProvider) config.authHeaders = authProviderHeaders(config, authProvider);
  else if (basic) {
    const header = `Basic ${Buffer.from(`${u.username}:${u.password}`).toString('base64')}`;
    config.authHeaders = async () => ({ Authorization: header });
  }
}

const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'] as const;
const INTERACTIVE_MODES = ['Never', 'IfAvailable', 'Always'] as const;
const EXEC_EXTENSION = 'client.authentication.k8s.io/exec';

function execConfig(user: Located, exec: Record<string, unknown>, cluster: Located): ExecPluginConfig {
  const at = `${user.where}: exec`;
  const apiVersion = exec.apiVersion as ExecPluginConfig['apiVersion'];
  if (!EXEC_API_VERSIONS.includes(apiVersion))
    throw new Error(`${at}.apiVersion "${apiVersion ?? ''}" is not one of ${EXEC_API_VERSIONS.join(', ')}`);
  const command = exec.command;
  if (typeof command !== 'string' || command === '') throw new Error(`${at}.command is required`);
  const mode = (exec.interactiveMode ?? (apiVersion.endsWith('v1beta1') ? 'IfAvailable' : undefined)) as
    ExecPluginConfig['interactiveMode'] | undefined;
  if (!mode || !INTERACTIVE_MODES.includes(mode))
    throw new Error(`${at}.interactiveMode "${mode ?? ''}" must be one of ${INTERACTIVE_MODES.join(', ')}`);
  const env = ((exec.env ?? []) as { name?: unknown; value?: unknown }[]).map((variable, i) => {
    if (typeof variable?.name !== 'string') throw new Error(`${at}.env[${i}].name is required`);
    return { name: variable.name, value: String(variable.value ?? '') };
  });
  const extensions = (cluster.entry.extensions ?? []) as { name?: string; extension?: unknown }[];
  return {
    apiVersion,
    // client-go resolves a command containing a path separator against the kubeconfig's directory.
    command: command.includes(sep) && !isAbsolute(command) ? resolve(user.dir, command) : command,
    args: ((exec.args ?? []) as unknown[]).map(String),
    env,
    installHint: typeof exec.installHint === 'string' ? exec.installHint : undefined,
    provideClusterInfo: exec.provideClusterInfo === true,
    interactiveMode: mode,
    clusterConfig: extensions.find((extension) => extension?.name === EXEC_EXTENSION)?.extension,
    source: user.where,
  };
}

/**
 * The module name sits in a variable so bundlers leave client-node out of operator bundles (it
 * would add ~16 MB of code and ~45 MiB RSS to every start); it loads from node_modules when needed.
 */
const CLIENT_NODE = '@kubernetes/client-node';

/**
 * Credentials from an auth provider (oidc, …) through @kubernetes/client-node's KubeConfig
 * (imported on first use; it caches credentials until they expire).
 */
function authProviderHeaders(
  config: RestConfig,
  authProvider: Record<string, unknown>,
): () => Promise<Record<string, string>> {
  let kubeConfig: Promise<KubeConfig> | undefined;
  return async () => {
    kubeConfig ??= (import(CLIENT_NODE) as Promise<typeof ClientNode>).then(({ KubeConfig }) => {
      const kc = new KubeConfig();
      kc.loadFromClusterAndUser(
        { name: 'cluster', server: config.server, skipTLSVerify: config.insecureSkipTlsVerify ?? false },
        { name: 'user', authProvider },
      );
      return kc;
    });
    const options: { headers: Record<string, string> } = { headers: {} };
    await (await kubeConfig).applyToHTTPSOptions(options);
    return options.headers;
  };
}

function optionalString(located: Located, field: string): string | undefined {
  const value = located.entry[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new Error(`${located.where}: ${field} must be a string`);
  return value;
}

function stringList(located: Located, field: string): string[] {
  const value = located.entry[field] ?? [];
  if (!Array.isArray(value)) throw new Error(`${located.where}: ${field} must be a list of strings`);
  return value.map(String);
}

/** `<field>` as an absolute path (relative to the kubeconfig), checked to exist. */
function fileField(located: Located, field: string): string | undefined {
  const file = optionalString(located, field);
  if (!file) return undefined;
  const path = resolve(located.dir, file);
  if (!existsSync(path)) throw new Error(`${located.where}: ${field} ${path} does not exist`);
  return path;
}

/** `<field>` (a file, relative to the kubeconfig) or `<field>-data` (base64) as PEM text. */
function pem(located: Located, field: string): string | undefined {
  const file = fileField(located, field);
  if (file) return readFileSync(file, 'utf8');
  const base64 = optionalString(located, `${field}-data`);
  return base64 ? Buffer.from(base64, 'base64').toString('utf8') : undefined;
}
