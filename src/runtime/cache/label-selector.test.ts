import { describe, expect, it } from 'vitest';
import { labelMatcher, parseLabelSelector } from './label-selector.js';

describe('label selectors', () => {
  it('parses equality, set and existence requirements', () => {
    expect(parseLabelSelector('app=web, tier!=db,env in (a, b),zone notin (x),managed,!legacy')).toEqual([
      { key: 'app', operator: 'in', values: ['web'] },
      { key: 'tier', operator: 'notin', values: ['db'] },
      { key: 'env', operator: 'in', values: ['a', 'b'] },
      { key: 'zone', operator: 'notin', values: ['x'] },
      { key: 'managed', operator: 'exists' },
      { key: 'legacy', operator: 'doesnotexist' },
    ]);
  });

  it('matches labels the way the apiserver does', () => {
    const matches = labelMatcher('app==web,tier!=db,env in (a,b),!legacy');
    expect(matches({ app: 'web', env: 'a' })).toBe(true);
    expect(matches({ app: 'web', env: 'b', tier: 'db' })).toBe(false);
    expect(matches({ app: 'web', env: 'c' })).toBe(false);
    expect(matches({ app: 'web', env: 'a', legacy: 'true' })).toBe(false);
    expect(matches(undefined)).toBe(false);
    expect(labelMatcher('')({})).toBe(true);
    expect(labelMatcher({ app: 'web' })({ app: 'web', x: 'y' })).toBe(true);
  });

  it('names the part it cannot parse', () => {
    expect(() => parseLabelSelector('app=web,=oops')).toThrow(
      'invalid label selector "app=web,=oops": cannot parse "=oops"',
    );
  });
});
