/**
 * Webhooks for envtest, as controller-runtime's `WebhookInstallOptions`: the project's
 * Mutating/ValidatingWebhookConfigurations (read from `config/webhook/manifests.yaml` or given)
 * are re-pointed at a local URL with a fresh CA and installed, and a serving certificate for that
 * URL is written where the test's webhook server reads it (`serverOptions()`). Registration reuses
 * the runtime's `registerLocalWebhooks` (what `kubeforge run --webhooks` does).
 */
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { EnvtestError } from '../errors.js';
import type { KubeObject, RestConfig } from '../runtime/index.js';
import { createCertificateAuthority, issueCertificate } from '../runtime/serving/index.js';
import { freePort } from './processes.js';

export interface WebhookInstallOptions {
  /** Files (or directories of .yaml/.yml/.json files) holding webhook configurations, e.g. `config/webhook`. */
  paths?: string[];
  /** Configurations given as objects, installed as well. */
  configurations?: KubeObject[];
  /** A path in `paths` that does not exist is skipped instead of failing the start. */
  ignoreErrorIfPathMissing?: boolean;
  /** Where the webhook server listens and the apiserver calls it. Default 127.0.0.1. */
  localServingHost?: string;
  /** Default: a free port. */
  localServingPort?: number;
}

/** What was installed, and where the test's webhook server must serve for the apiserver to reach it. */
export interface InstalledWebhooks {
  readonly localServingHost: string;
  readonly localServingPort: number;
  /** Holds `tls.crt` and `tls.key`, valid for the serving host. */
  readonly localServingCertDir: string;
  /** PEM of the CA that signed the serving certificate (the configurations' caBundle). */
  readonly localServingCaData: string;
  /** Names of the installed configurations. */
  readonly configurationNames: string[];
  /** `{ host, port, certDir }` for `newManager({ webhookServer })` or `new WebhookServer(…)`. */
  serverOptions(): { host: string; port: number; certDir: string };
}

const WEBHOOK_KINDS = new Set(['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']);
const MANIFEST = /\.(ya?ml|json)$/;

/** The configurations of `options.paths` and `options.configurations`; read before anything starts. */
export async function readWebhookConfigurations(options: WebhookInstallOptions): Promise<KubeObject[]> {
  const found: KubeObject[] = [...(options.configurations ?? [])];
  for (const path of options.paths ?? []) {
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      if (options.ignoreErrorIfPathMissing) continue;
      throw new EnvtestError(`webhookInstallOptions.paths: ${path} does not exist`, {
        hint: 'run `npx kubeforge manifests` to generate config/webhook/manifests.yaml, or set ignoreErrorIfPathMissing',
      });
    }
    const files = info.isDirectory()
      ? (await readdir(path))
          .filter((name) => MANIFEST.test(name))
          .sort()
          .map((name) => join(path, name))
      : [path];
    for (const file of files) {
      for (const document of parseAllDocuments(await readFile(file, 'utf8'))) {
        if (document.errors.length > 0) throw new EnvtestError(`${file}: ${document.errors[0].message}`);
        const object = document.toJS() as KubeObject | null;
        if (object?.kind && WEBHOOK_KINDS.has(object.kind)) found.push(object);
      }
    }
  }
  return found;
}

/**
 * Writes a CA and a serving certificate into `certDir`, installs the configurations pointed at
 * `https://<host>:<port>` and returns what the test's server needs; `uninstall` removes them again.
 */
export async function installWebhooks(
  restConfig: RestConfig,
  options: WebhookInstallOptions,
  configurations: KubeObject[],
  certDir: string,
): Promise<{ installed: InstalledWebhooks; uninstall(): Promise<void>; close(): void }> {
  const host = options.localServingHost ?? '127.0.0.1';
  const port = options.localServingPort ?? (await freePort());
  const ca = await createCertificateAuthority('kubeforge-envtest-webhook-ca');
  const serving = await issueCertificate(ca, {
    commonName: 'kubeforge-envtest-webhook',
    usage: 'server',
    ...(isIP(host) ? { ipAddresses: [host] } : { dnsNames: [host] }),
  });
  await mkdir(certDir, { recursive: true });
  await writeFile(join(certDir, 'tls.crt'), serving.cert);
  await writeFile(join(certDir, 'tls.key'), serving.key, { mode: 0o600 });
  const [{ newClient }, { registerLocalWebhooks }] = await Promise.all([
    import('../runtime/client/index.js'),
    import('../runtime/webhook/index.js'),
  ]);
  const client = newClient(restConfig, { fieldManager: 'kubeforge-envtest' });
  const urlHost = isIP(host) === 6 ? `[${host}]` : host;
  try {
    const registration = await registerLocalWebhooks(client, {
      baseUrl: `https://${urlHost}:${port}`,
      caPem: ca.cert,
      configurations,
      namePrefix: '',
    });
    return {
      installed: {
        localServingHost: host,
        localServingPort: port,
        localServingCertDir: certDir,
        localServingCaData: ca.cert,
        configurationNames: registration.configurationNames,
        serverOptions: () => ({ host, port, certDir }),
      },
      async uninstall() {
        try {
          await registration.unregister();
        } finally {
          client.close();
          await rm(certDir, { recursive: true, force: true });
        }
      },
      /** Closes the client without removing anything (the control plane goes away as a whole). */
      close: () => client.close(),
    };
  } catch (error) {
    client.close();
    throw error;
  }
}
