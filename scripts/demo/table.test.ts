import { describe, expect, it } from 'vitest';
import { age, formatTable } from './table.js';

describe('formatTable', () => {
  it('pads columns like kubectl and shows missing cells as <none>', () => {
    expect(
      formatTable(
        ['NAME', 'READY', 'URL'],
        [
          ['shop', '2/2', undefined],
          ['a-long-name', 4, 'http://x'],
        ],
      ),
    ).toBe(['NAME          READY   URL', 'shop          2/2     <none>', 'a-long-name   4       http://x'].join('\n'));
  });
});

describe('age', () => {
  it('prints seconds, then minutes, then hours', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(age('2026-01-01T11:59:15Z', now)).toBe('45s');
    expect(age('2026-01-01T11:30:00Z', now)).toBe('30m');
    expect(age('2026-01-01T07:00:00Z', now)).toBe('5h');
  });
});
