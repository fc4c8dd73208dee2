/**
 * Runs the kubeforge CLI in-process, as `kubeforge <args>` typed in `cwd`, with captured output,
 * a fixed clock and (optionally) a terminal with scripted answers; temporary workspaces; and
 * directory snapshots so tests can prove a command wrote nothing; and `sh` for commands run in a
 * generated project (npm, kubectl, make, the built CLI).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { CliIO, InputQuestion } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { diskSnapshot, listEntries } from './disk-snapshot.js';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** Questions asked on the (fake) terminal, in order. */
  asked: InputQuestion[];
}

/** 2026-01-02, so license headers in golden files do not change with the calendar. */
export const FIXED_DATE = new Date(Date.UTC(2026, 0, 2));

export async function runCli(cwd: string, args: string[], terminal?: { answers: string[] }): Promise<CliRun> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const asked: InputQuestion[] = [];
  const answers = [...(terminal?.answers ?? [])];
  const io: CliIO = {
    cwd,
    print: (text) => stdout.push(text),
    printError: (text) => stderr.push(text),
    interactive: terminal !== undefined,
    prompts: {
      async input(question) {
        asked.push(question);
        const answer = answers.shift();
        if (answer === undefined) throw new Error(`unexpected question: ${question.message}`);
        const verdict = question.validate?.(answer) ?? true;
        if (verdict !== true) throw new Error(`answer "${answer}" rejected: ${verdict}`);
        return answer;
      },
    },
    now: () => FIXED_DATE,
  };
  const code = await main(['node', 'kubeforge', ...args], io);
  return { code, stdout: stdout.join('\n'), stderr: stderr.join('\n'), asked };
}

export interface Workspace {
  /** A fresh temporary folder. */
  root: string;
  /** An empty folder inside it for the project (`<root>/<name>`). */
  project: string;
}

/** A workspace made before each test (or once, before all) and removed after. */
export function useWorkspace(prefix: string, options: { name?: string; once?: boolean } = {}): Workspace {
  const workspace: Workspace = { root: '', project: '' };
  (options.once ? beforeAll : beforeEach)(async () => {
    workspace.root = await mkdtemp(join(tmpdir(), `kubeforge-${prefix}-`));
    workspace.project = join(workspace.root, options.name ?? 'guestbook');
    await mkdir(workspace.project);
  });
  (options.once ? afterAll : afterEach)(() => rm(workspace.root, { recursive: true, force: true }));
  return workspace;
}

/** Every file under `root` (relative POSIX path → content), sorted. */
export async function readTree(root: string): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await listEntries(root)) {
    if (!entry.folder) files[entry.path] = await readFile(entry.absolute, 'utf8');
  }
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => a.localeCompare(b)));
}

/** A digest of every folder, file, mode and byte under `root`: equal digests mean nothing changed. */
export async function treeDigest(root: string): Promise<string> {
  return createHash('sha256')
    .update(JSON.stringify(await diskSnapshot(root)))
    .digest('hex');
}

/** `init` flags that make output independent of the machine. */
export const INIT_ARGS = ['init', '--domain', 'example.com', '--kubeforge-version', '^0.1.0', '--yes'];

/** This checkout, and its built CLI as users run it (`node bin/kubeforge.js`, built by `npm test`). */
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
export const CLI = join(REPO, 'bin/kubeforge.js');

const execFileAsync = promisify(execFile);

/** Runs a command in a generated project; resolves with its output, fails with it. */
export async function sh(cwd: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(command, args, {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CI: '1', ...env },
    });
    return stripVTControlCharacters(stdout + stderr);
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}${failed.stderr ?? failed.message}`,
    );
  }
}

/**
 * A project as a new user makes it: `init` against this checkout, then each kubeforge command
 * (`['create', 'api', …]`; `create` commands get `--yes`), then `npm install`. Needs the built CLI
 * (`npm run build`).
 */
export async function scaffoldInstalledProject(project: string, commands: string[][]): Promise<void> {
  if (!existsSync(join(REPO, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  await sh(project, process.execPath, [CLI, 'init', '--domain', 'example.com', '--kubeforge-path', REPO, '--yes']);
  for (const command of commands) {
    await sh(project, process.execPath, [CLI, ...command, ...(command[0] === 'create' ? ['--yes'] : [])]);
  }
  await sh(project, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline']);
}
