/**
 * Markers: kubebuilder's `// +name:key=value` comments, parsed and linted against the table of
 * markers kubeforge knows (unknown names get a did-you-mean; values are type-checked). Each marker
 * is one object (`definition.ts`) holding its syntax, targets and effects.
 */
export { CEL_INVISIBLE_HINT, celVisible } from './cel-visibility.js';
export type { SchemaKind } from './definition.js';
export type { CrdNames, CrdVersion, PackageSettings, RbacGrant, RbacRoles, WebhookSet } from './effects.js';
export { re2Matches, validRe2 } from './re2-match.js';
export { isSchemaless, parseMarker, sameMarker, type Marker, type MarkerName } from './registry.js';
