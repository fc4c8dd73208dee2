/**
 * Builds envtest binaries from Go modules (for machines that cannot download them): resolves
 * `k8s.io/kubernetes@v<version>` through the module proxy, writes the wrapper modules from
 * `go-modules.ts` into a temp dir, `go mod tidy`, then `CGO_ENABLED=0 go build -trimpath` each
 * binary straight into the install directory.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ETCD_VERSION, type BinaryName } from './assets.js';
import {
  etcdWrapperGoMod,
  GO_PACKAGES,
  kubernetesWrapperGoMod,
  parseKubernetesGoMod,
  toolsGo,
  versionLdflags,
} from './go-modules.js';

export type ProgressReporter = (message: string) => void;

/** `go version` output, or `undefined` when there is no usable `go` on PATH. */
export function goVersion(): string | undefined {
  const result = spawnSync('go', ['version'], { encoding: 'utf8', timeout: 30_000 });
  return result.status === 0 ? result.stdout.trim() : undefined;
}

const HEARTBEAT_MS = 20_000;

/** Runs `go args…` in `cwd`; rejects with the last lines of its output when it fails. */
export async function runGo(
  args: string[],
  cwd: string,
  what: string,
  progress: ProgressReporter,
  extraEnv: Record<string, string> = {},
): Promise<string> {
  const started = Date.now();
  const heartbeat = setInterval(
    () => progress(`… still ${what} (${Math.round((Date.now() - started) / 1000)}s)`),
    HEARTBEAT_MS,
  );
  const goFlags = [process.env.GOFLAGS, '-mod=mod'].filter(Boolean).join(' ');
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn('go', args, {
        cwd,
        env: { ...process.env, GOFLAGS: goFlags, CGO_ENABLED: '0', ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code === 0) resolve(stdout);
        else
          reject(
            new Error(
              `\`go ${args.join(' ')}\` failed (exit ${code}) while ${what}:\n${stderr.trim().split('\n').slice(-25).join('\n')}`,
            ),
          );
      });
    });
  } finally {
    clearInterval(heartbeat);
  }
}

interface ModuleDownload {
  Version?: string;
  GoMod?: string;
  Error?: string;
}

async function downloadModule(
  modulePath: string,
  version: string,
  cwd: string,
  progress: ProgressReporter,
): Promise<ModuleDownload> {
  const output = await runGo(
    ['mod', 'download', '-json', `${modulePath}@v${version}`],
    cwd,
    `downloading ${modulePath}@v${version}`,
    progress,
  ).catch((error: Error) => JSON.stringify({ Error: error.message }));
  const info = JSON.parse(output) as ModuleDownload;
  if (info.Error) throw new Error(`${modulePath}@v${version} is not available: ${info.Error.split('\n')[0]}`);
  return info;
}

function writeModule(dir: string, goMod: string, packages: string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'go.mod'), goMod);
  writeFileSync(join(dir, 'tools.go'), toolsGo(packages));
}

async function buildInto(
  moduleDir: string,
  name: BinaryName,
  installDir: string,
  ldflags: string | undefined,
  progress: ProgressReporter,
): Promise<void> {
  const partial = join(installDir, `.${name}.partial`);
  const args = [
    'build',
    '-trimpath',
    '-tags=selinux,notest',
    ...(ldflags ? ['-ldflags', ldflags] : []),
    '-o',
    partial,
    GO_PACKAGES[name],
  ];
  await runGo(args, moduleDir, `building ${name}`, progress);
  renameSync(partial, join(installDir, name));
}

export interface GoBuildOptions {
  k8sVersion: string;
  binaries: BinaryName[];
  installDir: string;
  progress: ProgressReporter;
}

/**
 * Builds `binaries` for one Kubernetes version into `installDir`. Throws when the version does not
 * resolve or a build fails (the caller then tries an older version).
 */
export async function buildWithGo(options: GoBuildOptions): Promise<void> {
  const { k8sVersion, binaries, installDir } = options;
  const kubernetesBinaries = binaries.filter((name) => name !== 'etcd');
  const totalSteps =
    (kubernetesBinaries.length > 0 ? 3 + kubernetesBinaries.length : 0) + (binaries.includes('etcd') ? 1 : 0);
  let step = 0;
  const progress: ProgressReporter = (message) =>
    options.progress(message.startsWith('…') ? message : `build step ${++step}/${totalSteps}: ${message}`);
  const work = mkdtempSync(join(tmpdir(), 'kubeforge-envtest-build-'));
  try {
    mkdirSync(installDir, { recursive: true });
    if (kubernetesBinaries.length > 0) {
      progress(`resolving k8s.io/kubernetes@v${k8sVersion} through the Go module proxy`);
      const kubernetes = await downloadModule('k8s.io/kubernetes', k8sVersion, work, progress);
      const facts = parseKubernetesGoMod(readFileSync(kubernetes.GoMod!, 'utf8'));
      progress(
        `writing the wrapper module (${facts.stagingModules.length} staging modules replaced, go ${facts.goDirective})`,
      );
      const moduleDir = join(work, 'kubernetes');
      writeModule(
        moduleDir,
        kubernetesWrapperGoMod(k8sVersion, facts),
        kubernetesBinaries.map((name) => GO_PACKAGES[name]),
      );
      progress('go mod tidy (downloads ~1 GB of modules on a cold machine)');
      await runGo(['mod', 'tidy'], moduleDir, 'resolving Kubernetes dependencies', progress);
      for (const name of kubernetesBinaries) {
        progress(`go build ${name} (several minutes on a cold build cache)`);
        await buildInto(moduleDir, name, installDir, versionLdflags(k8sVersion), progress);
      }
    }
    if (binaries.includes('etcd')) {
      progress(`building etcd v${ETCD_VERSION} from its own module`);
      const moduleDir = join(work, 'etcd');
      writeModule(moduleDir, etcdWrapperGoMod(ETCD_VERSION), [GO_PACKAGES.etcd]);
      await runGo(['mod', 'tidy'], moduleDir, 'resolving etcd dependencies', progress);
      await buildInto(moduleDir, 'etcd', installDir, undefined, progress);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
