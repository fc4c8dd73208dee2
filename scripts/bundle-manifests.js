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
const importHelper = '__kubeforgeImport';

/** dist/ modules imported dynamically off the plain run's path (`--check`, API import): not bundled. */
const notBundled = new Set(['./manifests-check.js', './import/index.js']);

const relativeToBundle = (path) => {
  const fromBundle = relative(bundleDir, path).split(sep).join('/');
  return fromBundle.startsWith('.') ? fromBundle : `./${fromBundle}`;
};
const moduleUrl = (path) => `${moduleUrlHelper}(${JSON.stringify(relativeToBundle(path))})`;

/**
 * A module of dist/ as it runs in the bundle: its own URL (`createRequire(import.meta.url)`,
 * `new URL('../../templates/', …)`) is the one it has in dist/, so paths relative to it resolve as
 * they do unbundled; packages it imports dynamically (ts-morph, handlebars, prompts…: loaded when
 * used, by design) and the dist/ modules above are imported by Node's loader from where they are
 * (a `vm` script has no `import()` of its own without an experimental flag).
 */
function asBundled(path, source) {
  return source
    .replaceAll('import.meta.url', moduleUrl(path))
    .replace(/\bimport\((['"])([^'"]+)\1\)/g, (call, _quote, specifier) => {
      if (!specifier.startsWith('.')) return `${importHelper}(${JSON.stringify(specifier)})`;
      if (notBundled.has(specifier)) return `${importHelper}(${moduleUrl(resolve(dirname(path), specifier))})`;
      return call;
    });
}

const keepModulePaths = {
  name: 'keep-module-paths',
  setup(esbuild) {
    esbuild.onLoad({ filter: /\.js$/ }, (args) => {
      if (!args.path.startsWith(dist + sep)) return undefined;
      return { contents: asBundled(args.path, readFileSync(args.path, 'utf8')), loader: 'js' };
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
    js: [
      `const ${moduleUrlHelper} = (path) => require('node:url').pathToFileURL(require('node:path').join(__dirname, path)).href;`,
      `const ${importHelper} = (specifier) => module.importFromDist(specifier);`,
    ].join('\n'),
  },
  plugins: [keepModulePaths],
});

if (/\bimport\(/.test(readFileSync(bundle, 'utf8'))) {
  throw new Error(`${bundle} has an import() left: add its module to the dynamic imports bundle-manifests.js handles`);
}

const inputs = Object.keys(result.metafile.inputs)
  .map((input) => resolve(input))
  .filter((input) => input.startsWith(dist + sep))
  .map(relativeToBundle);
const digest = digestOfInputs(bundleDir, inputs);
writeFileSync(join(bundleDir, 'manifests.bundle.json'), `${JSON.stringify({ digest, inputs }, null, 1)}\n`);
