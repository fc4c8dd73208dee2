// `node scripts/import-graph.js [dir] [--depth 2]`: the import graph of src/ (tests left out) at
// the level of folders (`--depth 2`: sub-folders, e.g. src/runtime/cache, barrels left out): which folder imports which (with the number of imports), the folder-level cycles, and
// the modules most imported from other folders (fan-in). Run it in a checkout (or a worktree of an
// older commit) to compare the architecture before and after a change.
import { cruise } from 'dependency-cruiser';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { depth: { type: 'string', default: '1' } },
  allowPositionals: true,
});
const depth = Number(values.depth);
const root = resolve(positionals[0] ?? '.');
process.chdir(root);

/**
 * Depth 1: `src/runtime/cache/watcher.ts` → `runtime`; depth 2: `runtime/cache`, and files directly
 * in a folder belong to it (`src/runtime/types.ts` → `runtime`); `src/errors.ts` stands for itself.
 */
function folderOf(path) {
  const parts = path.split('/').slice(1);
  return parts.length === 1 ? parts[0] : parts.slice(0, -1).slice(0, depth).join('/');
}

/** A barrel (`index.ts`) only re-exports its folder: its imports are not dependencies of design. */
const isBarrel = (path) => path.endsWith('/index.ts');

const result = await cruise(['src'], {
  exclude: { path: '\\.test\\.ts$' },
  doNotFollow: { path: 'node_modules' },
  tsPreCompilationDeps: true,
  tsConfig: { fileName: 'tsconfig.json' },
});
const modules = result.output.modules.filter((module) => module.source.startsWith('src/'));

const folderEdges = new Map();
const fanIn = new Map();
for (const module of modules) {
  if (isBarrel(module.source) && depth > 1) continue;
  for (const dependency of module.dependencies) {
    if (!dependency.resolved.startsWith('src/')) continue;
    const from = folderOf(module.source);
    const to = folderOf(dependency.resolved);
    if (from === to) continue;
    const key = `${from} → ${to}`;
    folderEdges.set(key, (folderEdges.get(key) ?? 0) + 1);
    fanIn.set(dependency.resolved, (fanIn.get(dependency.resolved) ?? new Set()).add(module.source));
  }
}

/** Strongly connected components of the folder graph with more than one folder (Tarjan). */
function folderCycles() {
  const graph = new Map();
  for (const key of folderEdges.keys()) {
    const [from, to] = key.split(' → ');
    graph.set(from, [...(graph.get(from) ?? []), to]);
    if (!graph.has(to)) graph.set(to, []);
  }
  const index = new Map();
  const low = new Map();
  const stack = [];
  const components = [];
  const visit = (node) => {
    index.set(node, index.size);
    low.set(node, index.get(node));
    stack.push(node);
    for (const next of graph.get(node)) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (stack.includes(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        component.push(member);
      } while (member !== node);
      if (component.length > 1) components.push(component.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return components;
}

console.log(`import graph of ${root}/src (${modules.length} modules, tests left out)\n`);
console.log('folder edges (imports):');
for (const [edge, count] of [...folderEdges].sort()) console.log(`  ${edge} (${count})`);
const cycles = folderCycles();
console.log(`\nfolder-level cycles: ${cycles.length === 0 ? 'none' : ''}`);
for (const cycle of cycles) console.log(`  ${cycle.join(' ↔ ')}`);
console.log('\nmost imported modules from other folders (fan-in):');
const hubs = [...fanIn].sort((a, b) => b[1].size - a[1].size || a[0].localeCompare(b[0])).slice(0, 10);
for (const [module, importers] of hubs) console.log(`  ${String(importers.size).padStart(3)}  ${module}`);
