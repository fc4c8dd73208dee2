/**
 * Checking generated manifests against an apiserver needs to say where each rejection comes from:
 * CRD errors back to the TypeScript type, field or marker (`CrdSources`), sample errors back to
 * the line of the sample YAML (`sampleLine`). The cluster side lives in the CLI.
 */
export { CrdSources, type KindRoot } from './crd-sources.js';
export { sampleLine } from './sample-lines.js';
