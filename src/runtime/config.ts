/**
 * Where the operator finds its apiserver: an explicit kubeconfig, `KUBECONFIG`, the in-cluster
 * service account, then `~/.kube/config`. Kubeconfigs are read with @kubernetes/client-node's
 * `KubeConfig` (certificates, tokens, exec plugins, auth providers), loaded only on that path so
 * an in-cluster operator never pays for client-node at run time.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type * as ClientNode from '@kubernetes/client-node';
import type { KubeConfig } from '@kubernetes/client-node';
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

function fromKubeconfig(files: string[], context: string | undefined, source: string): PluginRestConfig {
  const kc = loadKubeConfig(files, source);
  if (context) {
    if (!kc.getContextObject(context)) {
      const known = kc.getContexts().map((c) => c.name);
      throw new Error(`${source}: context "${context}" not found (contexts: ${known.join(', ') || 'none'})`);
    }
    kc.setCurrentContext(context);
  }
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new Error(`${source} (${files.join(', ')}): no current cluster; set current-context or pass a context`);
  const user = kc.getCurrentUser();
  const config: PluginRestConfig = {
    server: cluster.server.replace(/\/+$/, ''),
    caData: pem(cluster.caFile, cluster.caData),
    insecureSkipTlsVerify: cluster.skipTLSVerify || undefined,
  };
  if (user) {
    config.certData = pem(user.certFile, user.certData);
    config.keyData = pem(user.keyFile, user.keyData);
    if (user.token) config.token = user.token;
    if (user.exec || user.authProvider) config.authHeaders = pluginHeaders(kc);
    else if (user.username && user.password) {
      const basic = Buffer.from(`${user.username}:${user.password}`).toString('base64');
      config.authHeaders = async () => ({ Authorization: `Basic ${basic}` });
    }
  }
  return config;
}

function loadKubeConfig(files: string[], source: string): KubeConfig {
  const { KubeConfig } = createRequire(import.meta.url)('@kubernetes/client-node') as typeof ClientNode;
  const kc = new KubeConfig();
  for (const file of files) {
    if (!existsSync(file)) throw new Error(`${source}: kubeconfig ${file} does not exist`);
    try {
      if (kc.getContexts().length === 0) kc.loadFromFile(file);
      else {
        const next = new KubeConfig();
        next.loadFromFile(file);
        kc.mergeConfig(next, true);
      }
    } catch (e) {
      throw new Error(`${source}: cannot read kubeconfig ${file}: ${(e as Error).message}`, { cause: e });
    }
  }
  return kc;
}

/** Runs the exec plugin / auth provider through client-node (it caches credentials until expiry). */
function pluginHeaders(kc: KubeConfig): () => Promise<Record<string, string>> {
  return async () => {
    const options: { headers: Record<string, string> } = { headers: {} };
    await kc.applyToHTTPSOptions(options);
    return options.headers;
  };
}

/** Kubeconfig certificate data is base64; RestConfig carries PEM text. */
function pem(file: string | undefined, base64: string | undefined): string | undefined {
  if (file) return readFileSync(file, 'utf8');
  if (base64) return Buffer.from(base64, 'base64').toString('utf8');
  return undefined;
}
