// The kubeforge Widget operator as a user makes and ships it: `kubeforge init` + `create api`
// into a fresh directory (timed: that is the "init + create api" figure), the bench logic of
// ./widget/ written over the scaffolded types and controller, `kubeforge manifests`, then the
// generated project's own `npm run bundle` (esbuild → dist/operator.js). Dependencies are linked
// to this checkout's node_modules, with `kubeforge` → the checkout, as `npm install` of the
// generated `file:` dependency would make them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const repo = new URL('../..', import.meta.url).pathname;
const kubeforge = (args, cwd) =>
  execFileSync(process.execPath, [join(repo, 'bin', 'kubeforge.js'), ...args], { cwd, stdio: 'pipe' });

/** Wall time (ms) of `kubeforge init` + `kubeforge create api` (two CLI processes) into `dir`. */
export function scaffoldWidget(dir) {
  mkdirSync(dir, { recursive: true });
  const startedAt = performance.now();
  kubeforge(['init', '--domain', 'example.com', '--project-name', 'widget', '--kubeforge-path', repo, '--yes'], dir);
  kubeforge(['create', 'api', '--group', 'bench', '--version', 'v1', '--kind', 'Widget', '--yes'], dir);
  return performance.now() - startedAt;
}

/**
 * Scaffolds `runs` projects under `workDir` (timing each), finishes the last one into a bundle and
 * returns `{ scaffoldMs: number[], projectDir, bundle, bundleBytes, crdDir, nodeArgs, nodeOptions }`
 * (the last two: how the generated Dockerfile starts node, so the benchmark runs it the same way).
 */
export function buildKubeforgeWidget(workDir, runs) {
  const scaffoldMs = [];
  let projectDir;
  for (let i = 0; i < runs; i++) {
    projectDir = join(workDir, `widget-${i}`);
    scaffoldMs.push(scaffoldWidget(projectDir));
  }
  cpSync(new URL('./widget', import.meta.url).pathname, projectDir, { recursive: true });
  kubeforge(['manifests'], projectDir);
  linkDependencies(projectDir);
  execFileSync('npm', ['run', 'bundle', '--silent'], { cwd: projectDir, stdio: 'pipe' });
  const bundle = join(projectDir, 'dist', 'operator.js');
  return {
    scaffoldMs,
    projectDir,
    bundle,
    bundleBytes: statSync(bundle).size,
    crdDir: join(projectDir, 'config', 'crd', 'bases'),
    ...nodeInvocationOf(join(projectDir, 'Dockerfile')),
  };
}

/** The node flags of the Dockerfile's `ENTRYPOINT ["…/node", flags…, script]` and its NODE_OPTIONS. */
function nodeInvocationOf(dockerfile) {
  const text = readFileSync(dockerfile, 'utf8');
  const entrypoint = JSON.parse(text.match(/^ENTRYPOINT (\[.*\])$/m)[1]);
  return {
    nodeArgs: entrypoint.slice(1, -1),
    nodeOptions: text.match(/NODE_OPTIONS=(\S+)/)?.[1] ?? '',
  };
}

/** Links the project's dependencies to this checkout, as `npm install` of the `file:` dependency makes them. */
export function linkDependencies(projectDir) {
  const modules = join(projectDir, 'node_modules');
  mkdirSync(modules, { recursive: true });
  for (const entry of readdirSync(join(repo, 'node_modules')))
    symlinkSync(join(repo, 'node_modules', entry), join(modules, entry));
  symlinkSync(repo, join(modules, 'kubeforge'));
}
