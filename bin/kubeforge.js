#!/usr/bin/env node
// `kubeforge manifests` runs on a program with that command alone (its module, not every
// command's): `npm test` and `make manifests` run it each time. Everything else goes through main.
const entry =
  process.argv[2] === 'manifests'
    ? (await import('../dist/cli/manifests.js')).mainOfManifests
    : (await import('../dist/cli/main.js')).main;

process.exitCode = await entry(process.argv);
