/**
 * Helpers for integration tests that use the run's shared control plane (started by
 * `global-setup.ts`): its RestConfig and kubeconfig, a fresh namespace per test, and kubectl.
 * Tests that must stop or restart the apiserver start their own with `startControlPlane`.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { apiRequest } from '../../src/envtest/api-requests.js';
import type { RestConfig } from '../../src/runtime/types.js';

export function testRestConfig(): RestConfig {
  return inject('envtest').restConfig;
}

export function testKubeconfigPath(): string {
  return inject('envtest').kubeconfigPath;
}

/** The directory holding the envtest binaries the shared control plane runs. */
export function testAssetsDir(): string {
  return inject('envtest').assetsDir;
}

/** The path of a Go tool the run provisioned (see `./provision.ts`). */
export function testToolPath(tool: 'helm' | 'controllerGen'): string {
  return inject('envtest')[tool];
}

/** Creates a namespace named `<prefix>-<random>` and returns its name. */
export async function createTestNamespace(prefix = 'test'): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  const response = await apiRequest(testRestConfig(), 'POST', '/api/v1/namespaces', {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name },
  });
  if (response.status !== 201)
    throw new Error(`creating namespace ${name} failed (${response.status}): ${response.body}`);
  return name;
}

/** Runs kubectl against the shared control plane; resolves with stdout, rejects with stderr. */
export async function kubectl(args: string[], options: { input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kubectl',
      ['--kubeconfig', testKubeconfigPath(), ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error)
          reject(new Error(`kubectl ${args.join(' ')} failed: ${stderr.trim() || error.message}`, { cause: error }));
        else resolve(stdout);
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
    else child.stdin?.end();
  });
}
