/**
 * `kubeforge run --watch` (`npm run dev`): one process that watches the project's api/ and src/.
 * A change to api/ regenerates the manifests (written as `kubeforge manifests` writes them),
 * server-side applies the CRDs that changed and the manager's ClusterRole where the cluster has it
 * and allows it, then rebuilds and restarts the operator (so does a src/ file whose
 * `+kubebuilder:` markers changed: RBAC and webhooks come from them); other changes to src/ only rebuild and
 * restart. The rebuild is an incremental esbuild bundle, so a save reaches a restarted operator in
 * about a second. A marker or bundling error is printed once and the last good operator keeps
 * running; `tsc --noEmit` runs in the background after each build and reports type errors without
 * holding the restart back (esbuild strips types; the checker is the slow part).
 */
import { readdirSync, readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { bundler, OperatorProcess, TypeCheck } from './dev-loop-build.js';
import type { CliIO } from './io.js';
import { applyCrds, FIELD_MANAGER, generated, writeManifests } from './run-manifests.js';
import type { DirectClient, KubeObject } from '../runtime/index.js';

export interface DevLoopOptions {
  kubeconfig?: string;
  context?: string;
  /** Apply the CRDs (false: `--no-install`). */
  install: boolean;
}

/** Saves within this many milliseconds are one change (editors write a file in several steps). */
const SETTLE_MS = 50;
const WATCHED = ['api', 'src'];

export async function runDevLoop(options: DevLoopOptions, io: CliIO): Promise<void> {
  const projectDir = io.cwd;
  const runtime = await import('../runtime/index.js');
  const restConfig = runtime.loadRestConfig({ kubeconfig: options.kubeconfig, context: options.context });
  const client = runtime.newClient(restConfig, { fieldManager: FIELD_MANAGER });
  const { readProject } = await import('../project/index.js');
  const project = await readProject(projectDir);
  const build = await bundler(projectDir);
  const say = (line: string) => io.print(`[dev] ${line}`);

  const env: NodeJS.ProcessEnv = { ...process.env };
  if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
  const args = ['--metrics-secure=false', ...(options.context ? ['--context', options.context] : [])];
  const operator = new OperatorProcess(projectDir, args, env, (code, signal) =>
    say(`the operator exited (${signal ?? `code ${code}`}); waiting for a change`),
  );
  let lastTypeErrors = '';
  const typeCheck = new TypeCheck(projectDir, (errors) => {
    if (errors === lastTypeErrors) return;
    lastTypeErrors = errors;
    if (errors) say(`type errors (the operator was restarted anyway; fix and save):\n${errors}`);
    else say('type check passed');
  });
  const applied = new Map<string, string>();
  let roleNote = false;

  /** Regenerates and applies the manifests; false (after printing why) when the types or markers are wrong. */
  const regenerate = async (): Promise<boolean> => {
    let manifests: Awaited<ReturnType<typeof generated>>;
    try {
      manifests = await generated(projectDir);
    } catch (error) {
      say(`manifests failed; the running operator is kept:\n${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
    for (const warning of manifests.warnings) say(`warning: ${warning}`);
    const written = await writeManifests(projectDir, manifests.files);
    if (written.length > 0) say(`manifests written: ${written.join(', ')}`);
    if (!options.install) return true;
    const changed = manifests.crds.filter((crd) => applied.get(crd.metadata?.name ?? '') !== JSON.stringify(crd));
    if (changed.length > 0) {
      await applyCrds(client, changed, io);
      for (const crd of changed) applied.set(crd.metadata?.name ?? '', JSON.stringify(crd));
    }
    roleNote = await applyManagerRole(
      client,
      manifests.files.get('config/rbac/role.yaml'),
      project.projectName,
      roleNote,
      say,
    );
    return true;
  };

  /** Rebuilds; on success restarts the operator and starts a type check. */
  const rebuildAndRestart = async (started: number): Promise<void> => {
    const failure = await build.rebuild();
    if (failure !== undefined) {
      say(`build failed; the running operator is kept:\n${failure}`);
      return;
    }
    await operator.replace();
    say(`operator restarted (${Date.now() - started} ms after the change)`);
    typeCheck.start();
  };

  let pending: { types: boolean; at: number } | undefined;
  /** The marker lines of each src/ file when last seen (their change regenerates the manifests). */
  const srcMarkers = new Map<string, string>();
  for (const file of readdirSync(join(projectDir, 'src'), { recursive: true, encoding: 'utf8' })) {
    if (file.endsWith('.ts')) srcMarkers.set(join(projectDir, 'src', file), markerLines(join(projectDir, 'src', file)));
  }
  let timer: NodeJS.Timeout | undefined;
  let cycle = Promise.resolve();
  const onChange = (dir: string, file: string) => {
    // Markers in src/ (+kubebuilder:rbac, +kubebuilder:webhook) feed the manifests too: a change of them regenerates.
    const path = join(projectDir, dir, file);
    const markers = dir === 'src' ? markerLines(path) : '';
    const manifests = dir === 'api' || markers !== (srcMarkers.get(path) ?? '');
    srcMarkers.set(path, markers);
    pending = { types: (pending?.types ?? false) || manifests, at: pending?.at ?? Date.now() };
    clearTimeout(timer);
    timer = setTimeout(() => {
      const change = pending!;
      pending = undefined;
      cycle = cycle
        .then(async () => {
          say(change.types ? 'types or markers changed: regenerating manifests' : 'src/ changed: rebuilding');
          if (change.types && !(await regenerate())) return;
          await rebuildAndRestart(change.at);
        })
        .catch((error: unknown) => say(`error: ${error instanceof Error ? error.message : String(error)}`));
    }, SETTLE_MS);
  };
  // Watching starts before the first build: Node's recursive watch on Linux finds the subfolders
  // asynchronously, and a save right after "operator started" must not be missed. Files the loop
  // writes itself (zz_generated.*) are not changes.
  const watchers: FSWatcher[] = WATCHED.map((dir) =>
    watch(join(projectDir, dir), { recursive: true }, (_event, file) => {
      if (file && !/(^|\/)zz_generated\.|~$/.test(String(file))) onChange(dir, String(file));
    }),
  );

  // The first start is the first cycle: changes saved meanwhile wait for it.
  const first = (async () => {
    if (!(await regenerate()))
      throw new UserError('the manifests cannot be generated; fix the error above and run again');
    const firstBuild = await build.rebuild();
    if (firstBuild !== undefined) throw new UserError(`the operator does not build:\n${firstBuild}`);
    await operator.replace();
    say(`operator started; watching ${WATCHED.join('/, ')}/ for changes (Ctrl-C stops)`);
    typeCheck.start();
  })();
  cycle = first.catch(() => undefined);
  try {
    await first;
  } catch (error) {
    for (const watcher of watchers) watcher.close();
    clearTimeout(timer);
    await build.dispose();
    client.close();
    throw error;
  }

  // A signal stops the loop; the handlers stay until the operator is stopped, so a second signal
  // (npm forwards the terminal's Ctrl-C too) cannot kill us and leave the operator running.
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await stopped;
  for (const watcher of watchers) watcher.close();
  clearTimeout(timer);
  await cycle;
  typeCheck.stop();
  await operator.stop();
  await build.dispose();
  client.close();
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
}

/** The `+kubebuilder:` marker lines of a source file ('' when it is gone or not a file). */
function markerLines(path: string): string {
  try {
    return readFileSync(path, 'utf8')
      .split('\n')
      .filter((line) => line.includes('+kubebuilder:'))
      .join('\n');
  } catch {
    return '';
  }
}

/**
 * Server-side applies the generated manager ClusterRole as `<project>-manager-role` (config/default's
 * name prefix) when the cluster has it — a deployed operator keeps the rights its markers ask for.
 * Not deployed: nothing to update. Forbidden: said once (the returned flag), the loop goes on.
 */
async function applyManagerRole(
  client: DirectClient,
  roleYaml: string | undefined,
  projectName: string,
  noted: boolean,
  say: (line: string) => void,
): Promise<boolean> {
  if (!roleYaml) return noted;
  const [{ ClusterRole, isForbidden }, { parse }] = await Promise.all([import('../runtime/index.js'), import('yaml')]);
  const role = parse(roleYaml) as KubeObject;
  const name = `${projectName}-${role.metadata?.name ?? 'manager-role'}`;
  try {
    if (!(await client.get(ClusterRole, { name }))) return noted;
    await client.apply(ClusterRole, { ...role, metadata: { ...role.metadata, name } } as never, {
      fieldManager: FIELD_MANAGER,
      force: true,
    });
    return noted;
  } catch (error) {
    if (!isForbidden(error)) throw error;
    if (!noted) say(`ClusterRole ${name} not updated: your kubeconfig user may not (RBAC); the CRDs are applied`);
    return true;
  }
}
