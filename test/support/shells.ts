/**
 * The shells `kubeforge completion` scripts are loaded in by test/cli/completion.test.ts. bash is
 * everywhere; zsh and fish are Debian packages, installed here with apt-get when the run has the
 * rights to (as root, e.g. in CI), otherwise the run fails naming the packages to install.
 */
import { spawn, spawnSync } from 'node:child_process';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;

function isInstalled(shell: string): boolean {
  return spawnSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' }).status === 0;
}

function canInstallPackages(): boolean {
  return process.getuid?.() === 0 && spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
}

function aptGet(args: string[], report: (line: string) => void): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('apt-get', args, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const forward = (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) if (line.trim()) report(line.trim());
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('error', reject);
    child.on('close', resolve);
  });
}

/** Makes sure every completion shell runs; returns where they came from for the summary line. */
export async function ensureShells(report: (line: string) => void): Promise<string> {
  const missing = COMPLETION_SHELLS.filter((shell) => !isInstalled(shell));
  if (missing.length === 0) return 'shells (PATH)';
  if (!canInstallPackages()) {
    const error = new Error(
      `npm test loads the completion scripts in ${missing.join(', ')}, which are not on PATH: install the package(s) ${missing.join(' ')} (apt-get install ${missing.join(' ')}, or your system's package manager)`,
    );
    error.stack = error.message;
    throw error;
  }
  report(`installing ${missing.join(', ')} with apt-get`);
  const install = ['install', '-y', '--no-install-recommends', ...missing];
  if ((await aptGet(install, report)) !== 0) {
    await aptGet(['update'], report);
    const code = await aptGet(install, report);
    if (code !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed with exit code ${code}`);
  }
  return 'shells (installed)';
}
