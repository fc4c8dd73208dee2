import { describe, expect, it } from 'vitest';
import { differences, unchanged } from './audit.js';

describe('audit differences', () => {
  const versions = (entries: [string, string | undefined][]) => new Map(entries);

  it('finds missed adds, updates and deletes, leaving out objects that changed after the list', () => {
    const server = versions([
      ['n/same', '5'],
      ['n/missing', '6'],
      ['n/stale', '9'],
    ]);
    const cache = versions([
      ['n/same', '5'],
      ['n/stale', '7'],
      ['n/deleted', '4'],
      ['n/newer', '12'],
      ['n/updated-after', '11'],
    ]);
    expect([...differences(server, '10', cache)]).toEqual([
      ['n/missing', undefined],
      ['n/stale', '7'],
      ['n/deleted', '4'],
    ]);
  });

  it('keeps only the suspects the cache still holds as it did', () => {
    const suspects = versions([
      ['n/missing', undefined],
      ['n/stale', '7'],
      ['n/deleted', '4'],
    ]);
    const later = versions([
      ['n/missing', '6'],
      ['n/stale', '7'],
    ]);
    expect(unchanged(suspects, later)).toEqual(['n/stale']);
  });
});
