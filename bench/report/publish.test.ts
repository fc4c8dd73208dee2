import { describe, expect, it } from 'vitest';
import { sectionsMarkdown } from './publish.js';

const sections = [
  { heading: 'Reconcile', table: '| a |\n| --- |', notes: ['peer: not run.'] },
  { heading: 'Scale curve', table: '| b |\n| --- |', notes: ['![plot](2026-11-29.svg)'] },
  { notes: ['**profile**'] },
];

describe('sectionsMarkdown', () => {
  it('writes each section as heading, table and notes, paragraphs apart', () => {
    expect(sectionsMarkdown(sections, { plotFile: '2026-11-29.svg' })).toBe(
      [
        '### Reconcile',
        '| a |\n| --- |',
        'peer: not run.',
        '### Scale curve',
        '| b |\n| --- |',
        '![plot](2026-11-29.svg)',
        '**profile**',
      ].join('\n\n'),
    );
  });

  it('points the plot link into results/ for the README', () => {
    expect(sectionsMarkdown(sections, { plotFile: '2026-11-29.svg', linkPrefix: 'results/' })).toContain(
      '![plot](results/2026-11-29.svg)',
    );
  });
});
