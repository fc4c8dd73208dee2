import { describe, expect, it } from 'vitest';
import { keyFromString, keyString, objectKey, objectKeyString, requireObjectKey } from './keys.js';

describe('object keys', () => {
  it('take the name and, when there is one, the namespace of an object', () => {
    expect(objectKey({ metadata: { namespace: 'ns', name: 'a' } })).toEqual({ namespace: 'ns', name: 'a' });
    expect(objectKey({ metadata: { namespace: '', name: 'a' } })).toEqual({ name: 'a' });
    expect(objectKey({ metadata: { namespace: 'ns' } })).toBeUndefined();
    expect(() => requireObjectKey({}, 'no name here')).toThrow('no name here');
  });

  it('read back from their string form', () => {
    expect(keyString({ namespace: 'ns', name: 'a' })).toBe('ns/a');
    expect(keyString({ name: 'a' })).toBe('a');
    expect(objectKeyString({ metadata: { namespace: 'ns', name: 'a' } })).toBe('ns/a');
    expect(keyFromString('ns/a')).toEqual({ namespace: 'ns', name: 'a' });
    expect(keyFromString('a')).toEqual({ name: 'a' });
  });
});
