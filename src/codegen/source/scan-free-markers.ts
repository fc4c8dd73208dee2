/**
 * `+kubebuilder:rbac`, `+kubebuilder:webhook` and `+kubebuilder:webhookconfiguration` markers may sit anywhere in `src/**` (usually
 * above a controller or webhook). They are found by a line scan: no parsing of the code needed.
 */
import type { Diagnostics } from '../diagnostics.js';
import { parseMarker, type Marker } from '../markers/index.js';

const FREE_MARKER = /^\s*(?:\/\/|\/\*+|\*)\s*\+(kubebuilder:(?:rbac|webhook|webhookconfiguration)\b.*?)\s*(?:\*\/)?$/;

export function scanFreeMarkers(files: { path: string; text: string }[], diagnostics: Diagnostics): Marker[] {
  const markers: Marker[] = [];
  for (const file of files) {
    file.text.split('\n').forEach((text, index) => {
      const match = FREE_MARKER.exec(text);
      if (!match) return;
      const loc = { file: file.path, line: index + 1 };
      const result = parseMarker(match[1], loc);
      if ('error' in result) diagnostics.error(loc, result.error);
      else if ('marker' in result) markers.push(result.marker);
    });
  }
  return markers;
}
