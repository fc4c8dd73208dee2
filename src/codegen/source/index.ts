/**
 * Source: reading the project's API type files into plain declarations (with their docs and
 * parsed markers), checking the types reachable from each kind, and scanning `src/**` for the
 * free-floating RBAC and webhook markers.
 */
export type { ApiFile, FieldDecl, TypeDecl, TypeExpr } from './model.js';
export { parseApiFiles, type ApiFileText } from './parse-api-files.js';
export { scanFreeMarkers } from './scan-free-markers.js';
export { MAX_NESTING, TypeGraph } from './type-graph.js';
