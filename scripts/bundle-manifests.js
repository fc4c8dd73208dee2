// `node scripts/bundle-manifests.js` (run by `npm run build`, after tsc): bundles what a plain
// `kubeforge manifests` run loads from dist/ (dist/cli/manifests.js, its modules, commander and
// yaml) into one CommonJS file, dist/cli/manifests.bundle.cjs, that bin/kubeforge.js compiles with
// a V8 code cache (see src/codegen/source/code-cache.ts): ~90 ES modules and ~80 CommonJS files
// were each resolved, read and compiled on every run. What only other paths use — `--check` and
// its cluster client, API import, ts-morph's source edits, templates — stays in dist/ and is
// imported from there when used. Next to it, manifests.bundle.json lists the dist/ files it was
// built from, relative to the bundle, with the digest of their contents: when they differ (tsc ran,
// this did not), bin/kubeforge.js runs dist/ instead.
import { build } from 'esbuild';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { digestOfInputs } from '../dist/codegen/source/code-cache.js';

const dist = resolve(import.meta.dirname, '..', 'dist');
const bundle = join(dist, 'cli', 'manifests.bundle.cjs');
const bundleDir = dirname(bundle);
const moduleUrlHelper = '__kubeforgeModuleUrl';

/** Imported only off the plain run's path: left to Node's loader, from dist/ or node_modules. */
const notBundled = new Set([
  './manifests-check.js',
  './import/index.js',
  'ts-morph',
  'handlebars',
  'json-schema-to-typescript',
]);

const relativeToBundle = (path) => {
  const fromBundle = relative(bundleDir, path).split(sep).join('/');
  return fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`;
};

const keepModulePaths = {
  name: 'keep-module-paths',
  setup(esbuild) {
    esbuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind !== 'dynamic-import') return undefined;
      if (!args.path.startsWith('.')) return { path: args.path, external: true };
      if (!notBundled.has(args.path)) return undefined;
      return { path: relativeToBundle(resolve(args.resolveDir, args.path)), external: true };
    });
    // A module's own URL (`createRequire(import.meta.url)`, `new URL('../../templates/', …)`) is the
    // one it has in dist/, so paths relative to it resolve as they do unbundled.
    esbuild.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return undefined;
      const url = `${moduleUrlHelper}(${JSON.stringify(relativeToBundle(args.path))})`;
      return { contents: source.replaceAll('import.meta.url', url), loader: 'js' };
    });
  },
};

const result = await build({
  entryPoints: [join(dist, 'cli', 'manifests.js')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  outfile: bundle,
  metafile: true,
  // No comments (some are not ASCII): an ASCII file is read without UTF-8's validation.
  minifyWhitespace: true,
  logLevel: 'warning',
  banner: {
    js: `const ${moduleUrlHelper} = (path) => require('node:url').pathToFileURL(require('node:path').join(__dirname, path)).href;`,
  },
  plugins: [keepModulePaths],
});

const inputs = Object.keys(result.metafile.inputs)
  .map((input) => resolve(input))
  .filter((input) => input.startsWith(dist + sep))
  .map(relativeToBundle);
const digest = digestOfInputs(bundleDir, inputs);
writeFileSync(join(bundleDir, 'manifests.bundle.json'), `${JSON.stringify({ digest, inputs }, null, 1)}\n`);
