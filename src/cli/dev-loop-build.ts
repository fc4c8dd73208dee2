/**
 * The build half of the dev loop: an incremental esbuild context that bundles the project's
 * src/main.ts into dist/dev/operator.mjs (packages stay external, resolved from node_modules at run
 * time, so a rebuild of a one-kind project takes milliseconds), a type check (`tsc --noEmit`) run in
 * the background after each build, and the operator process that is replaced on each good build.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as EsbuildModule from 'esbuild';
import type { BuildContext, Message } from 'esbuild';

type Esbuild = typeof EsbuildModule;
import { UserError } from '../errors.js';

const DEV_BUNDLE = 'dist/dev/operator.mjs';

/** The project's esbuild (a generated project has it as a devDependency), else kubeforge's own. */
async function loadEsbuild(projectDir: string): Promise<Esbuild> {
  try {
    const path = createRequire(join(projectDir, 'package.json')).resolve('esbuild');
    return (await import(pathToFileURL(path).href)) as Esbuild;
  } catch {
    return import('esbuild').catch(() => {
      throw new UserError(
        '--watch bundles with esbuild, which the project does not have: npm install --save-dev esbuild',
      );
    });
  }
}

/** An incremental bundle of src/main.ts; `rebuild()` resolves with the error text, or undefined when it built. */
export async function bundler(
  projectDir: string,
): Promise<{ rebuild(): Promise<string | undefined>; dispose(): Promise<void> }> {
  const entry = join(projectDir, 'src/main.ts');
  if (!existsSync(entry)) throw new UserError(`--watch: ${entry} does not exist (the operator's entry point)`);
  const esbuild = await loadEsbuild(projectDir);
  const context: BuildContext = await esbuild.context({
    absWorkingDir: projectDir,
    entryPoints: [entry],
    outfile: join(projectDir, DEV_BUNDLE),
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  return {
    async rebuild() {
      try {
        await context.rebuild();
        return undefined;
      } catch (error) {
        const failure = error as { errors?: Message[] };
        if (!failure.errors) return error instanceof Error ? error.message : String(error);
        const lines = await esbuild.formatMessages(failure.errors, { kind: 'error', color: false });
        return lines.join('').trimEnd();
      }
    },
    dispose: () => context.dispose(),
  };
}

/** Runs `tsc --noEmit` of the project in the background; `report` gets its output when it fails, '' when it passes. */
export class TypeCheck {
  private running?: ChildProcess;

  constructor(
    private readonly projectDir: string,
    private readonly report: (errors: string) => void,
  ) {}

  start(): void {
    this.stop();
    let tsc: string;
    try {
      tsc = createRequire(join(this.projectDir, 'package.json')).resolve('typescript/bin/tsc');
    } catch {
      return; // no TypeScript installed in the project: nothing to check with
    }
    const child = spawn(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--pretty', 'false'], {
      cwd: this.projectDir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.running = child;
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code, signal) => {
      if (this.running !== child || signal) return;
      this.running = undefined;
      this.report(code === 0 ? '' : output.trimEnd() || `tsc exited with code ${code}`);
    });
  }

  stop(): void {
    this.running?.kill('SIGTERM');
    this.running = undefined;
  }
}

/** The running operator: `replace()` stops the current process (SIGTERM, then SIGKILL after 10 s) and starts the bundle. */
export class OperatorProcess {
  private child?: ChildProcess;
  private exited?: Promise<void>;

  constructor(
    private readonly projectDir: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    private readonly onExit: (code: number | null, signal: NodeJS.Signals | null) => void,
  ) {}

  async replace(): Promise<void> {
    await this.stop();
    const child = spawn(process.execPath, ['--enable-source-maps', DEV_BUNDLE, ...this.args], {
      cwd: this.projectDir,
      env: this.env,
      stdio: ['ignore', 'inherit', 'inherit'],
      detached: true,
    });
    this.child = child;
    this.exited = new Promise((resolve) => {
      child.on('exit', (code, signal) => {
        if (this.child === child) {
          this.child = undefined;
          this.onExit(code, signal);
        }
        resolve();
      });
      child.on('error', () => resolve());
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = undefined;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}
