/**
 * The layer rules of kubeforge's sources (`npm run lint` runs them; docs/architecture.md explains
 * them). Each folder of src/ may import only the folders listed for it below, other folders only
 * through their index.ts (the runtime also through the index.ts of a sub-folder, each a public
 * subpath kubeforge/runtime/<folder>), and no module may take part in an import cycle.
 */
const LAYERS = {
  errors: [],
  api: [],
  project: ['errors', 'api'],
  machinery: ['errors', 'project'],
  codegen: ['errors', 'api', 'project', 'machinery'],
  scaffolds: ['errors', 'project', 'machinery', 'codegen'],
  runtime: ['api'],
  envtest: ['errors', 'api', 'runtime'],
  testing: ['errors', 'api', 'runtime', 'machinery'],
  cli: ['errors', 'api', 'project', 'machinery', 'codegen', 'scaffolds', 'runtime', 'envtest'],
};

const folderPattern = (name) => (name === 'errors' ? '^src/errors\\.ts$' : `^src/${name}/`);

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => ({
  name: `layer-${layer}`,
  comment: `src/${layer} may import only ${allowed.length ? allowed.map((name) => `src/${name}`).join(', ') : 'nothing else in src'} (see docs/architecture.md)`,
  severity: 'error',
  from: { path: folderPattern(layer) },
  to: { path: '^src/', pathNot: [folderPattern(layer), ...allowed.map(folderPattern)] },
}));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: 'runtime-stays-light',
      comment: 'the runtime half is bundled into operators: none of the generator half\'s heavy libraries',
      severity: 'error',
      from: { path: '^src/(runtime|envtest|testing)/' },
      to: { path: 'node_modules/(ts-morph|handlebars|json-schema-to-typescript|@inquirer|commander)/' },
    },
    {
      name: 'no-cycles',
      comment: 'an import cycle ties modules together so that none can be understood or tested alone',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'through-index',
      comment:
        "another folder is imported through its index.ts (or, for src/runtime, a sub-folder's index.ts: the kubeforge/runtime/* subpaths), never one of its files",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$', '^src/runtime/[^/]+/index\\.ts$'] },
    },
    {
      name: 'through-index-in-folder',
      comment: 'a sibling folder (src/runtime/cache → src/runtime/client) is imported through its index.ts',
      severity: 'error',
      from: { path: '^src/([^/]+)/([^/]+)/' },
      to: { path: '^src/$1/[^/]+/', pathNot: ['^src/$1/$2/', '^src/$1/[^/]+/index\\.ts$'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.test\\.ts$' },
    tsConfig: { fileName: 'tsconfig.json' },
    tsPreCompilationDeps: true,
    combinedDependencies: false,
  },
};
