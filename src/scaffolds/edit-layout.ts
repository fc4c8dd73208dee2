/**
 * `edit --multigroup`: switches where new APIs go, as kubebuilder's `edit --multigroup` does. Only
 * PROJECT changes: an existing API keeps working where it is, because its `path` in PROJECT
 * records its folder (and so the folders of its controller and webhooks). Built-in and external
 * kinds record no folder, so the notes name the files to move for them.
 */
import type { Tree } from '../machinery/index.js';
import { isForeign, PROJECT_FILE, serializeProject, type Project } from '../project/index.js';
import type { ScaffoldResult } from './api.js';
import { layoutOf } from './layout.js';

export function editLayout(tree: Tree, project: Project, options: { multigroup: boolean }): ScaffoldResult {
  const { multigroup, ...rest } = project;
  if ((multigroup === true) === options.multigroup) {
    tree.skip(PROJECT_FILE, `already ${options.multigroup ? 'multigroup' : 'single-group'}`);
    return { project, notes: [] };
  }
  const updated: Project = options.multigroup ? { ...rest, multigroup: true } : rest;
  tree.generate(PROJECT_FILE, serializeProject(updated));
  const notes: string[] = [];
  const own = project.resources.filter((resource) => !isForeign(resource));
  if (own.length > 0) {
    notes.push(
      `existing APIs stay where they are (PROJECT records each path: ${[...new Set(own.map((r) => r.path))].join(', ')}); APIs created from now on go to ${options.multigroup ? 'api/<group>/<version>' : 'api/<version>'}`,
    );
  }
  for (const resource of project.resources.filter((r) => isForeign(r) && (r.controller || r.webhooks))) {
    const before = layoutOf(!options.multigroup, resource);
    const after = layoutOf(options.multigroup, resource);
    const folders = [
      ...(resource.controller ? [[before.controllerDir, after.controllerDir]] : []),
      ...(resource.webhooks ? [[before.webhookDir, after.webhookDir]] : []),
    ];
    notes.push(
      `${resource.kind} (${resource.group}/${resource.version}, defined elsewhere): move its files from ${folders.map(([from, to]) => `${from}/ to ${to}/`).join(' and ')} and update their imports in src/main.ts, or later commands will not find them`,
    );
  }
  return { project: updated, notes };
}
