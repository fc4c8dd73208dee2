import { describe, expect, it } from 'vitest';
import { applyJsonPatch } from '../../testing/json-patch.js';
import { jsonPatchBetween } from './json-diff.js';

describe('jsonPatchBetween', () => {
  it('adds a missing nested field and replaces a changed one', () => {
    const before = { spec: { size: 1 }, metadata: { name: 'a' } };
    const after = { spec: { size: 3, image: 'nginx' }, metadata: { name: 'a' } };
    expect(jsonPatchBetween(before, after)).toEqual([
      { op: 'replace', path: '/spec/size', value: 3 },
      { op: 'add', path: '/spec/image', value: 'nginx' },
    ]);
  });

  it('removes deleted keys and escapes ~ and / in keys', () => {
    const before = { metadata: { labels: { 'app.kubernetes.io/name': 'x', 'a~b': 'y' } } };
    const after = { metadata: { labels: { 'a~b': 'z' } } };
    expect(jsonPatchBetween(before, after)).toEqual([
      { op: 'remove', path: '/metadata/labels/app.kubernetes.io~1name' },
      { op: 'replace', path: '/metadata/labels/a~0b', value: 'z' },
    ]);
  });

  it('diffs arrays of equal length element by element and replaces resized arrays whole', () => {
    expect(jsonPatchBetween({ ports: [{ port: 80 }, { port: 81 }] }, { ports: [{ port: 80 }, { port: 82 }] })).toEqual([
      { op: 'replace', path: '/ports/1/port', value: 82 },
    ]);
    expect(jsonPatchBetween({ args: ['a'] }, { args: ['a', 'b'] })).toEqual([
      { op: 'replace', path: '/args', value: ['a', 'b'] },
    ]);
  });

  it('returns no operations for equal documents and ignores undefined values', () => {
    expect(jsonPatchBetween({ a: { b: [1, { c: 2 }] } }, { a: { b: [1, { c: 2 }] }, d: undefined })).toEqual([]);
  });

  it('produces a patch that turns before into after', () => {
    const before = { spec: { replicas: 1, template: { containers: [{ name: 'a', env: [] }] } }, status: { x: 1 } };
    const after = {
      spec: { replicas: 2, template: { containers: [{ name: 'a', env: [{ name: 'K', value: 'v' }] }] } },
    };
    const patched = applyJsonPatch(structuredClone(before), jsonPatchBetween(before, after));
    expect(patched).toEqual(after);
  });
});
