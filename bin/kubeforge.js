#!/usr/bin/env node
// `kubeforge manifests` runs on a program with that command alone (its module, not every
// command's): `npm test` and `make manifests` run it each time. It runs from the one-file bundle
// `npm run build` makes of it, compiled with a V8 code cache, unless that bundle is missing or was
// not built from dist/'s current files (then from dist/). Everything else goes through main.
import { fileURLToPath } from 'node:url';

const manifests = process.argv[2] === 'manifests';
// `--check` talks to a cluster through modules the bundle leaves in dist/: it runs from dist/ alone
// (a copy of a module in each would make two of its error classes).
const bundle =
  manifests && !process.argv.includes('--check')
    ? (await import('../dist/codegen/source/code-cache.js')).loadFreshBundle(
        fileURLToPath(new URL('../dist/cli/manifests.bundle.cjs', import.meta.url)),
      )
    : undefined;
const entry =
  bundle?.exports.mainOfManifests ??
  (manifests ? (await import('../dist/cli/manifests.js')).mainOfManifests : (await import('../dist/cli/main.js')).main);

process.exitCode = await entry(process.argv);
bundle?.saveCodeCache();
