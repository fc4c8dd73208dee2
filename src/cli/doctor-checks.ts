/**
 * What `kubeforge doctor` looks at, one check each: the tools a kubeforge project needs on this
 * machine (Node at the version package.json's engines asks for, npm), the ones it only sometimes
 * needs (Go to build envtest binaries or tools without a download, kubectl), the caches under
 * ~/.cache/kubeforge (envtest binaries, helm, controller-gen) and the cluster of the current
 * kubeconfig context. A check never throws: a failure is its result, with the fix.
 */
import { spawnSync } from 'node:child_process';

export interface CheckResult {
  name: string;
  /** A failed required check makes `doctor` exit non-zero. */
  required: boolean;
  ok: boolean;
  detail: string;
  /** What to do when it failed. */
  fix?: string;
}

/** Semver-ish x.y.z of a version string ('v20.20.2', 'go1.26.1'), as numbers. */
function versionNumbers(text: string): number[] | undefined {
  const match = text.match(/(\d+)\.(\d+)(?:\.(\d+))?/);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)] : undefined;
}

function atLeast(actual: number[], wanted: number[]): boolean {
  for (let i = 0; i < 3; i++) if (actual[i] !== wanted[i]) return actual[i] > wanted[i];
  return true;
}

export function checkNode(engines: string, nodeVersion = process.version): CheckResult {
  const minimum = engines.match(/^>=\s*(\d+\.\d+\.\d+)$/)?.[1];
  const actual = versionNumbers(nodeVersion)!;
  const ok = minimum === undefined || atLeast(actual, versionNumbers(minimum)!);
  return {
    name: 'node',
    required: true,
    ok,
    detail: `${nodeVersion} (kubeforge needs ${engines})`,
    fix: ok ? undefined : `install Node ${engines} (https://nodejs.org, or \`nvm install 20\`)`,
  };
}

/** Runs `command args` (a timeout of 20 s); its trimmed output when it exits 0. */
function run(command: string, args: string[]): string | undefined {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 20_000 });
  return result.status === 0 ? `${result.stdout}`.trim() : undefined;
}

export function checkNpm(): CheckResult {
  const version = run('npm', ['--version']);
  return {
    name: 'npm',
    required: true,
    ok: version !== undefined,
    detail: version ?? 'not found on PATH',
    fix: version ? undefined : 'npm comes with Node: reinstall Node or put its bin directory on PATH',
  };
}

export function checkGo(goVersion: string | undefined): CheckResult {
  return {
    name: 'go',
    required: false,
    ok: goVersion !== undefined,
    detail:
      goVersion ?? 'not found on PATH (needed only to build envtest binaries, helm or controller-gen from source)',
    fix: goVersion ? undefined : 'install Go >= 1.26 (https://go.dev/dl) if `kubeforge envtest setup` cannot download',
  };
}

export function checkKubectl(): CheckResult {
  const output = run('kubectl', ['version', '--client', '-o', 'json']);
  let version: string | undefined;
  if (output) version = (JSON.parse(output) as { clientVersion?: { gitVersion?: string } }).clientVersion?.gitVersion;
  return {
    name: 'kubectl',
    required: false,
    ok: version !== undefined,
    detail: version ?? 'not found on PATH (optional: kubeforge reaches the apiserver itself)',
    fix: version ? undefined : 'install kubectl (https://kubernetes.io/docs/tasks/tools/) to inspect clusters by hand',
  };
}
