/**
 * Runs a bundled operator the way its Deployment runs it in a cluster, as a local process: the
 * service-account token from the TokenRequest API (`kubectl create token`) and the apiserver's CA
 * in a directory that KUBEFORGE_SERVICEACCOUNT_DIR points at, KUBERNETES_SERVICE_HOST/PORT set to
 * the apiserver and no kubeconfig anywhere; UID/GID 65532 (the image's user) in a read-only
 * working directory holding only the bundle (as the image's /app), with the image's environment.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubectl, testRestConfig } from '../support/cluster.js';

export const IMAGE_UID = 65532;

export interface InClusterOperator {
  process: ChildProcess;
  /** Milliseconds since the epoch when the process was spawned. */
  spawnedAt: number;
  /** Everything it printed so far (stdout and stderr). */
  logs(): string;
  /** SIGTERM, then its exit code. */
  stop(): Promise<number | null>;
}

export interface InClusterOptions {
  /** A fresh directory for the app and service-account files. */
  root: string;
  bundle: string;
  namespace: string;
  serviceAccount: string;
  args: string[];
  /** The image's ENV (NODE_OPTIONS, NODE_ENV). */
  env: Record<string, string>;
}

/** Writes token, ca.crt and namespace as the kubelet mounts them; returns the directory. */
export async function mountServiceAccount(root: string, namespace: string, serviceAccount: string): Promise<string> {
  const dir = join(root, 'serviceaccount');
  await mkdir(dir, { recursive: true });
  const token = await kubectl(['create', 'token', serviceAccount, '-n', namespace, '--duration=1h']);
  const ca = testRestConfig().caData;
  if (!ca) throw new Error('the shared control plane has no CA in its RestConfig');
  await writeFile(join(dir, 'token'), token.trim());
  await writeFile(join(dir, 'ca.crt'), ca);
  await writeFile(join(dir, 'namespace'), namespace);
  return dir;
}

export async function startInCluster(options: InClusterOptions): Promise<InClusterOperator> {
  await chmod(options.root, 0o755);
  const serviceAccountDir = await mountServiceAccount(options.root, options.namespace, options.serviceAccount);
  const app = join(options.root, 'app');
  await mkdir(app);
  await copyFile(options.bundle, join(app, 'operator.mjs'));
  await chmod(join(app, 'operator.mjs'), 0o444);
  await chmod(app, 0o555);
  const server = new URL(testRestConfig().server);
  const spawnedAt = Date.now();
  const child = spawn(process.execPath, [join(app, 'operator.mjs'), ...options.args], {
    cwd: app,
    // Only root may switch users; anyone else runs it as themselves (the directory stays read-only).
    ...(process.getuid?.() === 0 ? { uid: IMAGE_UID, gid: IMAGE_UID } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...options.env,
      PATH: '/usr/bin:/bin',
      HOME: app,
      HOSTNAME: 'controller-manager-0',
      KUBERNETES_SERVICE_HOST: server.hostname,
      KUBERNETES_SERVICE_PORT: server.port,
      KUBEFORGE_SERVICEACCOUNT_DIR: serviceAccountDir,
    },
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    spawnedAt,
    logs: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
