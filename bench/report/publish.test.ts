import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from 'prettier';
import { describe, expect, it } from 'vitest';
import { publishResults, sectionsMarkdown } from './publish.js';

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

describe('publishResults', () => {
  it('writes the results file and the README block as prettier leaves them, raw figures included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeforge-publish-'));
    const readme = join(dir, 'README.md');
    writeFileSync(readme, '# Bench\n\n<!-- latest-results:start -->\nold\n<!-- latest-results:end -->\n');
    const raw = { generation: [{ kinds: 1, oursRuns: [133.9, 134.8, 135.8], theirsRuns: [270.1, 244.0, 260.1] }] };
    await publishResults({
      resultsDir: dir,
      name: 'run',
      title: 'Benchmarks',
      preamble: ['Machine: 2 cores.'],
      sections,
      raw,
      readme,
      log: () => {},
    });
    const options = { parser: 'markdown', singleQuote: true, printWidth: 120, proseWrap: 'preserve' } as const;
    const results = readFileSync(join(dir, 'run.md'), 'utf8');
    expect(await check(results, options)).toBe(true);
    expect(JSON.parse(results.slice(results.indexOf('```json') + 7, results.lastIndexOf('```')))).toEqual(raw);
    const written = readFileSync(readme, 'utf8');
    expect(await check(written, options)).toBe(true);
    expect(written).not.toContain('old');
  });
});
