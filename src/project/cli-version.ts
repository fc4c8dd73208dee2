/**
 * The kubeforge version PROJECT records as `cliVersion` (kubebuilder's PROJECT v3 `cliVersion`):
 * the version whose scaffold the project's files are. `init`, `alpha generate` and `upgrade` set
 * it; the other commands keep it. A PROJECT written before kubeforge recorded it gets it on the
 * next writing command, with a note.
 */
import { createRequire } from 'node:module';
import type { Project } from './types.js';

const require = createRequire(import.meta.url);

/** The version of the running kubeforge (its package.json, from `src/project` and `dist/project`). */
export const KUBEFORGE_VERSION = (require('../../package.json') as { version: string }).version;

/**
 * The note a writing command prints when the PROJECT it read had no `cliVersion` (written before
 * kubeforge recorded it): the file is upgraded in place by that command.
 */
export function projectUpgradeNotes(project: Project): string[] {
  if (project.cliVersion !== undefined) return [];
  const plugins = Object.keys(project.plugins ?? {});
  return [
    `PROJECT upgraded in place: it had no cliVersion, now records cliVersion ${KUBEFORGE_VERSION}` +
      ` and plugins (${plugins.length > 0 ? plugins.join(', ') : 'none'}); \`kubeforge upgrade --from <version>\` takes another base`,
  ];
}
