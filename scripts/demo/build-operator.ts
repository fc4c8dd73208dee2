/**
 * Rebuilds the example operator the way its author made it, to show it is kubeforge output: the
 * commands recorded in examples/microservice-operator/scaffold.json run with this kubeforge's CLI
 * in a fresh directory, the hand-written files are copied over the scaffold, `kubeforge manifests`
 * generates the CRD and RBAC, and esbuild bundles src/main.ts into one file (`kubeforge/*`
 * resolved to this package's dist/), as the generated `npm run bundle` does.
 */
import { execFile } from 'node:child_process';
import { cp, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from 'kubeforge';

export interface ScaffoldRecord {
  commands: string[][];
  generated: Record<string, string>;
  handWritten: Record<string, string>;
}

export interface ScaffoldedOperator {
  projectDir: string;
  crdDir: string;
  /** Files the CLI scaffolded (before the hand-written ones were copied over). */
  scaffolded: number;
  handWritten: number;
  /** The CRD `kubeforge manifests` generated equals the example's checked-in one. */
  crdMatchesExample: boolean;
}

const CRD_PATH = 'config/crd/bases/apps.kubeforge.dev_microservices.yaml';

async function countFiles(dir: string): Promise<number> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((entry) => entry.isFile()).length;
}

async function kubeforge(root: string, cwd: string, args: string[]): Promise<void> {
  await promisify(execFile)(process.execPath, [join(root, 'bin/kubeforge.js'), ...args], { cwd }).catch(
    (error: { stderr?: string; message: string }) => {
      throw new UserError(`kubeforge ${args.join(' ')} failed: ${error.stderr?.trim() || error.message}`);
    },
  );
}

/** Scaffolds the example operator under `workDir` and generates its manifests; `root` is this package. */
export async function scaffoldOperator(root: string, exampleDir: string, workDir: string): Promise<ScaffoldedOperator> {
  const record = JSON.parse(await readFile(join(exampleDir, 'scaffold.json'), 'utf8')) as ScaffoldRecord;
  const projectDir = join(workDir, 'microservice-operator');
  await mkdir(projectDir, { recursive: true });
  for (const command of record.commands) {
    const args = command.map((arg, i) => (command[i - 1] === '--kubeforge-path' ? root : arg));
    await kubeforge(root, projectDir, args);
  }
  const scaffolded = await countFiles(projectDir);
  const handWritten = Object.keys(record.handWritten);
  for (const path of handWritten) await cp(join(exampleDir, path), join(projectDir, path));
  await kubeforge(root, projectDir, ['manifests', '--dir', projectDir]);
  const [generated, checkedIn] = await Promise.all(
    [projectDir, exampleDir].map((dir) => readFile(join(dir, CRD_PATH), 'utf8')),
  );
  return {
    projectDir,
    crdDir: join(projectDir, 'config/crd/bases'),
    scaffolded,
    handWritten: handWritten.length,
    crdMatchesExample: generated === checkedIn,
  };
}

/** Bundles the operator's src/main.ts into `outfile` (ESM, node20), `kubeforge/*` (subpaths too) resolved to this package's dist/. */
export async function bundleOperator(root: string, projectDir: string, outfile: string): Promise<string> {
  const esbuild = await import('esbuild').catch((cause: unknown) => {
    throw new UserError('the demo bundles the operator with esbuild, which is not installed', {
      hint: 'run the demo from a kubeforge checkout after `npm install` (esbuild is a devDependency)',
      cause,
    });
  });
  await esbuild.build({
    entryPoints: [join(projectDir, 'src/main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
    plugins: [
      {
        name: 'kubeforge-dist',
        setup(build) {
          build.onResolve({ filter: /^kubeforge\/(runtime|envtest|testing|api)(\/[a-z]+)?$/ }, (args) => ({
            path: join(root, 'dist', args.path.slice('kubeforge/'.length), 'index.js'),
          }));
        },
      },
    ],
  });
  return outfile;
}
