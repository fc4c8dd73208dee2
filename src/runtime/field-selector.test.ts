import { describe, expect, it } from 'vitest';
import { fieldSelectorFor, parseFieldSelector } from './field-selector.js';

describe('field selectors', () => {
  it('joins matchingFields to a field selector, escaping values', () => {
    expect(fieldSelectorFor({ matchingFields: { 'spec.secretRef': 'a,b=c' } })).toBe('spec.secretRef=a\\,b\\=c');
    expect(fieldSelectorFor({ fieldSelector: 'metadata.name=x', matchingFields: { 'spec.a': 'b' } })).toBe(
      'metadata.name=x,spec.a=b',
    );
    expect(fieldSelectorFor({})).toBeUndefined();
  });

  it('parses terms with escaped values back', () => {
    expect(parseFieldSelector('spec.secretRef=a\\,b\\=c, metadata.name!=x,status.phase==Running')).toEqual([
      { field: 'spec.secretRef', operator: '=', value: 'a,b=c' },
      { field: 'metadata.name', operator: '!=', value: 'x' },
      { field: 'status.phase', operator: '=', value: 'Running' },
    ]);
    expect(() => parseFieldSelector('spec.a>3')).toThrow('invalid field selector term "spec.a>3"');
  });
});
