import { describe, expect, it } from 'vitest';
import { checkNode } from './doctor-checks.js';

describe('checkNode', () => {
  it('compares the running version with package.json engines, part by part', () => {
    expect(checkNode('>=20.19.0', 'v20.19.0').ok).toBe(true);
    expect(checkNode('>=20.19.0', 'v22.1.0').ok).toBe(true);
    expect(checkNode('>=20.19.0', 'v20.9.5').ok).toBe(false);
    const old = checkNode('>=20.19.0', 'v18.20.4');
    expect(old).toMatchObject({ ok: false, required: true, detail: 'v18.20.4 (kubeforge needs >=20.19.0)' });
    expect(old.fix).toContain('install Node >=20.19.0');
  });
});
