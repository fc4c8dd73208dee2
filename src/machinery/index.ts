/**
 * The scaffolding machinery: a Tree that stages every read and write of a command (nothing touches
 * disk before `commit`, so `--dry-run` and errors leave the project untouched), strict Handlebars
 * templates from `templates/`, and insertion at `+kubeforge:scaffold:<name>` markers. Scaffolds
 * (src/scaffolds) decide which files a command writes; this folder only knows how.
 */
export { DiskStore, MemoryStore, type FileStore } from './file-store.js';
export { containsFragment, insertAtMarker, MARKER_PREFIX, markerComment, type InsertionResult } from './markers.js';
export { outputPathOf, TEMPLATES_DIR, templateRenderer, type TemplateRenderer } from './templates.js';
export { Tree, type ChangeAction, type FileChange } from './tree.js';
export { addImportAndStatement, type NamedImport } from './ts-source.js';
