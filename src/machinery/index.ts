/**
 * The scaffolding machinery: a Tree that stages every read and write of a command (nothing touches
 * disk before `commit`, so `--dry-run` and errors leave the project untouched, and a commit that
 * fails halfway puts every file back), strict Handlebars templates from `templates/`, insertion at
 * `+kubeforge:scaffold:<name>` marker comments, and JSON edits in the file's own style. Scaffolds
 * (src/scaffolds) decide which files a command writes; this folder only knows how.
 */
export type { CommentSyntax } from './line-kinds.js';
export { DiskStore, MemoryStore, type FileStore, type RestoreSnapshot } from './file-store.js';
export { formatJsonLike, parseJsonFile } from './json-file.js';
export { containsFragment, insertAtMarker, MARKER_PREFIX, markerComment, type InsertionResult } from './markers.js';
export { outputPathOf, TEMPLATES_DIR, templateRenderer, type TemplateRenderer } from './templates.js';
export { Tree, type ChangeAction, type FileChange } from './tree.js';
export { addImportAndStatement, type NamedImport } from './ts-source.js';
