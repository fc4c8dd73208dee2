/**
 * Setup file of the root `example` project: the MicroService example's own tests name their CRDs
 * relative to the example (`config/crd/bases`), as `npm test` run inside the example sees them,
 * so each of its test files runs from there (a forked worker of its own; threads cannot chdir).
 */
import { fileURLToPath } from 'node:url';

process.chdir(fileURLToPath(new URL('../../examples/microservice-operator/', import.meta.url)));
