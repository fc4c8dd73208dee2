import { describe, expect, it } from 'vitest';
import { MemoryStore } from './file-store.js';
import { containsFragment, insertAtMarker, markerComment } from './markers.js';
import { Tree } from './tree.js';

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

/** The same marker text where it is not a comment, then (optionally) a real marker. */
const hostileTs = (real: boolean) =>
  [
    "import { newManager } from 'kubeforge/runtime';",
    'const help = `usage:',
    '// +kubeforge:scaffold:builder',
    '${[1].map((n) => `${n} {`).join()}',
    '// +kubeforge:scaffold:builder',
    '`;',
    "const continued = 'a\\",
    "// +kubeforge:scaffold:builder';",
    '/*',
    '// +kubeforge:scaffold:builder',
    '*/',
    'const ratio = total / count; const slash = /[/`]/;',
    "const nested = `${ {a: 1}['`'] }",
    '// +kubeforge:scaffold:builder',
    '`;',
    "const inline = '// +kubeforge:scaffold:builder';",
    'setup(mgr); // +kubeforge:scaffold:builder',
    '# +kubeforge:scaffold:builder',
    ...(real ? ['  // +kubeforge:scaffold:builder'] : []),
    '',
  ].join('\n');

const hostileYaml = (real: boolean) =>
  [
    'resources:',
    '- a.yaml',
    'description: |',
    '  - b.yaml',
    '  # +kubeforge:scaffold:crdkustomizeresource',
    'folded: >-',
    '  text',
    '  # +kubeforge:scaffold:crdkustomizeresource',
    'quoted: "multi',
    '  # +kubeforge:scaffold:crdkustomizeresource',
    '  - b.yaml"',
    '// +kubeforge:scaffold:crdkustomizeresource',
    ...(real ? ['# +kubeforge:scaffold:crdkustomizeresource'] : []),
    '',
  ].join('\n');

describe('marker insertion in hostile files: only a real comment line is a marker', () => {
  it('never edits inside a template literal, a string, a block comment or after a regex', () => {
    for (const text of [hostileTs(false), hostileTs(true)]) {
      const result = insertAtMarker(text, 'builder', ['setup(mgr);'], 'typescript');
      expect(result.markerFound).toBe(text === hostileTs(true));
    }
    const result = insertAtMarker(hostileTs(true), 'builder', ['setupB(mgr);'], 'typescript');
    const expected = hostileTs(true).replace(
      '\n  // +kubeforge:scaffold:builder',
      '\n  setupB(mgr);\n  // +kubeforge:scaffold:builder',
    );
    expect(result.text).toBe(expected);
  });

  it('never edits inside a YAML block, folded or quoted scalar, and // is no YAML comment', () => {
    expect(insertAtMarker(hostileYaml(false), 'crdkustomizeresource', ['- b.yaml'], 'yaml').markerFound).toBe(false);
    const result = insertAtMarker(hostileYaml(true), 'crdkustomizeresource', ['- b.yaml'], 'yaml');
    expect(result.inserted).toEqual(['- b.yaml']);
    expect(result.text).toBe(hostileYaml(true).replace('\n# +kubeforge', '\n- b.yaml\n# +kubeforge'));
  });

  it('does not count a fragment as present when its copy is inside a string or comment', () => {
    expect(containsFragment(hostileYaml(true), '- b.yaml', 'yaml')).toBe(false);
    expect(containsFragment('/*\nsetup(mgr);\n*/\nconst s = `\nsetup(mgr);\n`;', 'setup(mgr);', 'typescript')).toBe(
      false,
    );
    expect(containsFragment('const s = `${a}`;\nsetup(mgr);\n', 'setup(mgr);', 'typescript')).toBe(true);
  });

  it('picks the syntax from the path in Tree.insert', () => {
    const tree = new Tree(
      new MemoryStore({ 'src/main.ts': hostileTs(false), 'config/crd/kustomization.yaml': hostileYaml(false) }),
    );
    expect(tree.insert('src/main.ts', 'builder', ['setup(mgr);'])).toBe(false);
    expect(tree.insert('config/crd/kustomization.yaml', 'crdkustomizeresource', ['- b.yaml'])).toBe(false);
    expect(tree.changes()).toEqual([]);
  });
});
