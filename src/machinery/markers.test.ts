import { describe, expect, it } from 'vitest';
import { containsFragment, insertAtMarker, markerComment } from './markers.js';

const main = [
  "import { newManager } from 'kubeforge/runtime';",
  '// +kubeforge:scaffold:imports',
  'const mgr = await newManager({});',
  '  // +kubeforge:scaffold:builder',
  '',
].join('\n');

describe('marker insertion', () => {
  it('inserts fragments above the marker with its indentation', () => {
    const result = insertAtMarker(main, 'builder', ['setupA(mgr);', 'setupB(mgr);']);
    expect(result.markerFound).toBe(true);
    expect(result.inserted).toEqual(['setupA(mgr);', 'setupB(mgr);']);
    expect(result.text.split('\n').slice(3, 6)).toEqual([
      '  setupA(mgr);',
      '  setupB(mgr);',
      '  // +kubeforge:scaffold:builder',
    ]);
  });

  it('leaves fragments already present alone, so inserting twice changes nothing', () => {
    const once = insertAtMarker(main, 'imports', ["import { a } from './a.js';"]).text;
    const twice = insertAtMarker(once, 'imports', ["import { a } from './a.js';"]);
    expect(twice.inserted).toEqual([]);
    expect(twice.text).toBe(once);
  });

  it('reports a missing marker without touching the text', () => {
    expect(insertAtMarker(main, 'webhooks', ['x'])).toEqual({ text: main, inserted: [], markerFound: false });
  });

  it('finds markers in YAML comments', () => {
    const yaml = 'resources:\n- a.yaml\n# +kubeforge:scaffold:crdkustomizeresource\n';
    expect(insertAtMarker(yaml, 'crdkustomizeresource', ['- b.yaml']).text).toBe(
      'resources:\n- a.yaml\n- b.yaml\n# +kubeforge:scaffold:crdkustomizeresource\n',
    );
    expect(markerComment('crdkustomizeresource', '#')).toBe('# +kubeforge:scaffold:crdkustomizeresource');
  });

  it('matches fragments by whole lines only', () => {
    expect(containsFragment('setupFooBar(mgr);', 'Bar(mgr);')).toBe(false);
    expect(containsFragment('a\n    b\nc', 'a\nb')).toBe(true);
    expect(containsFragment('a\nx\nb', 'a\nb')).toBe(false);
  });
});
