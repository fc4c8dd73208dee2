/**
 * Markers: kubebuilder's `// +name:key=value` comments, parsed and linted against the table of
 * markers kubeforge knows (unknown names get a did-you-mean; values are type-checked).
 */
export { parseMarker, type Marker } from './registry.js';
