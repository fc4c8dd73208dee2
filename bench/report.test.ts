import { describe, expect, it } from 'vitest';
import { formatValue, machineLine, markdownTable, median, ratio } from './report.js';

describe('median', () => {
  it('takes the middle of an odd count and the lower middle of an even count', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2);
  });

  it('skips failed runs and is undefined when none is left', () => {
    expect(median([undefined, 5, Number.NaN, 7, 6])).toBe(6);
    expect(median([undefined])).toBeUndefined();
  });
});

describe('ratio', () => {
  it('divides kubeforge by Go with two decimals', () => {
    expect(ratio(150, 100)).toBe('1.50×');
    expect(ratio(1, 3)).toBe('0.33×');
  });

  it('is a dash when a side is missing or Go measured zero', () => {
    expect(ratio(1, undefined)).toBe('—');
    expect(ratio(undefined, 2)).toBe('—');
    expect(ratio(1, 0)).toBe('—');
  });
});

describe('formatValue', () => {
  it('keeps fewer decimals as values grow', () => {
    expect(formatValue(1.234, 's')).toBe('1.23 s');
    expect(formatValue(12.34, 's')).toBe('12.3 s');
    expect(formatValue(1234.5, 'ms')).toBe('1235 ms');
    expect(formatValue(undefined, 'ms')).toBe('—');
  });
});

describe('markdownTable', () => {
  it('writes a header, bold section lines and one row per measure with its ratios', () => {
    const table = markdownTable({
      columns: ['kubeforge', 'go', 'peer'],
      ratios: [
        [0, 1],
        [0, 2],
      ],
      rows: [
        { section: 'Reconcile' },
        { measure: 'CPU', unit: 's', values: [3, 2, 6] },
        { measure: 'RSS', unit: 'MiB', values: [60, 40, undefined] },
      ],
    });
    expect(table.split('\n')).toEqual([
      '| measure | kubeforge | go | peer | kubeforge ÷ go | kubeforge ÷ peer |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      '| **Reconcile** |  |  |  |  |  |',
      '| CPU | 3.00 s | 2.00 s | 6.00 s | 1.50× | 0.50× |',
      '| RSS | 60.0 MiB | 40.0 MiB | — | 1.50× | — |',
    ]);
  });

  it('has no ratio column without ratios', () => {
    const table = markdownTable({ columns: ['kubeforge'], rows: [{ measure: 'sync', unit: 's', values: [1] }] });
    expect(table.split('\n')).toEqual(['| measure | kubeforge |', '| --- | ---: |', '| sync | 1.00 s |']);
  });

  it('escapes a | inside a cell, which would otherwise end it', () => {
    const table = markdownTable({
      columns: ['kubeforge'],
      rows: [{ measure: 'npm test (Tests 2 failed | 454 passed)', unit: 's', values: [1] }],
    });
    expect(table.split('\n')[2]).toBe('| npm test (Tests 2 failed \\| 454 passed) | 1.00 s |');
  });
});

describe('machineLine', () => {
  it('names the cores, memory, load average and Node version', () => {
    expect(machineLine()).toMatch(
      /^\d+ cores \(.+\), \d+ GiB, load average [\d.]+ \/ [\d.]+ \(1 \/ 5 min\), Node 20\./,
    );
  });
});
