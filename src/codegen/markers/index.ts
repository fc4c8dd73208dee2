/**
 * Markers: kubebuilder's `// +name:key=value` comments, parsed and linted against the table of
 * markers kubeforge knows (unknown names get a did-you-mean; values are type-checked).
 */
export { parseMarker, type Marker, type MarkerDefinition, type MarkerTarget } from './registry.js';
export { didYouMean } from './did-you-mean.js';
