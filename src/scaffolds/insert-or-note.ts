/**
 * Marker insertion for scaffolds that must not fail when a user removed a marker: the fragments go
 * in where the marker is, and where it is not, a note tells the user what to add by hand. Setup
 * functions (a controller's, a webhook's) are registered in src/main.ts the same way, with a
 * ts-morph edit before `await mgr.start(…)` where the markers are gone.
 */
import { addImportAndStatement, type Tree } from '../machinery/index.js';

const MAIN = 'src/main.ts';

/** Inserts at `+kubeforge:scaffold:<marker>` in `path`, or pushes onto `notes` what to add yourself. */
export function insertOrNote(tree: Tree, notes: string[], path: string, marker: string, fragments: string[]): void {
  if (!tree.insert(path, marker, fragments)) {
    const problem = tree.exists(path) ? `has no +kubeforge:scaffold:${marker} marker` : 'is missing';
    notes.push(`${path} ${problem}; add yourself:\n    ${fragments.join('\n    ')}`);
  }
}

/**
 * Imports `setup` from `moduleSpecifier` in src/main.ts and calls it with the manager, at the
 * scaffold markers — or, where the user removed them, before `await mgr.start(…)` (ts-morph);
 * where neither is found, a note says what to add.
 */
export async function registerSetup(tree: Tree, notes: string[], setup: string, moduleSpecifier: string) {
  const statement = `${setup}(mgr);`;
  const imported = tree.insert(MAIN, 'imports', [`import { ${setup} } from '${moduleSpecifier}';`]);
  const called = tree.insert(MAIN, 'builder', [statement]);
  if (imported && called) return;
  const text = tree.read(MAIN);
  const edited =
    text === undefined
      ? undefined
      : await addImportAndStatement(text, {
          import: { name: setup, moduleSpecifier },
          statement,
          before: /\bmgr\.start\(/,
        });
  if (edited === undefined) {
    notes.push(`${MAIN} has neither scaffold markers nor an \`await mgr.start(…)\` statement; register ${setup} yourself:
    import { ${setup} } from '${moduleSpecifier}';
    ${statement}`);
  } else if (edited !== text) {
    tree.write(MAIN, edited, 'edited with ts-morph (no scaffold markers)');
  }
}
