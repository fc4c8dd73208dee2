import { describe, expect, it } from 'vitest';
import { ManifestError } from '../errors.js';
import { Diagnostics } from './diagnostics.js';

describe('Diagnostics', () => {
  it('keeps one error on one line when a name or value brings a line break', () => {
    const diagnostics = new Diagnostics('/project');
    diagnostics.error({ file: '/project/api/v1/a.types.ts', line: 3 }, 'field "x\ny" is bad');
    diagnostics.error({ file: '/project/api/v1/a.types.ts', line: 4 }, 'value "p\r\nq" is bad');
    const error = (() => {
      try {
        diagnostics.throwIfAny('kubeforge manifests');
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(ManifestError);
    expect((error as ManifestError).message.split('\n').slice(1)).toEqual([
      '  api/v1/a.types.ts:3: field "x\\ny" is bad',
      '  api/v1/a.types.ts:4: value "p\\nq" is bad',
    ]);
  });
});
