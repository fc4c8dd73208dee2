/**
 * Runs again every plugin PROJECT records, with its recorded settings, on a project whose files are
 * in place (the helm chart is made from the manifests under config/). Used by `alpha generate` and
 * `upgrade` after they write the scaffold.
 */
import type { Tree } from '../../machinery/index.js';
import { PLUGIN_KEYS, type Project } from '../../project/index.js';
import { scaffoldHelmChart } from '../helm/index.js';
import { scaffoldGrafana } from '../plugins/index.js';

/**
 * Re-runs the recorded plugins (deploy-image is part of the scaffold: render.ts); returns notes for
 * recorded plugins this kubeforge cannot run.
 */
export async function rerunPlugins(tree: Tree, project: Project): Promise<string[]> {
  const notes: string[] = [];
  for (const key of Object.keys(project.plugins ?? {})) {
    if (key === PLUGIN_KEYS.helm) await scaffoldHelmChart(tree, project, { force: false });
    else if (key === PLUGIN_KEYS.grafana) scaffoldGrafana(tree, project);
    else if (key !== PLUGIN_KEYS.deployImage) {
      notes.push(`PROJECT records plugin ${key}, which this kubeforge does not run: its files were left as they were`);
    }
  }
  return notes;
}
