// Writes a benchmark run's results: bench/results/<name>.md (the sections, then every run's raw
// figures, as markdown formatted by prettier), the plot as <name>.svg, and on request the
// latest-results block of bench/README.md (links into results/).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'prettier';

const [BLOCK_START, BLOCK_END] = ['<!-- latest-results:start -->', '<!-- latest-results:end -->'];

/**
 * `sections` (`{ heading?, table?, notes }`) as markdown: a `###` heading, the table, the notes;
 * a link to `plotFile` in a note gets `linkPrefix` (the README links into results/).
 */
export function sectionsMarkdown(sections, { plotFile, linkPrefix = '' }) {
  return sections
    .map(({ heading, table, notes }) =>
      [
        heading && `### ${heading}`,
        table,
        ...notes.map((note) => note.replaceAll(`](${plotFile})`, `](${linkPrefix}${plotFile})`)),
      ]
        .filter(Boolean)
        .join('\n\n'),
    )
    .join('\n\n');
}

const markdown = (text) =>
  format(text, { parser: 'markdown', singleQuote: true, printWidth: 120, proseWrap: 'preserve' });

/**
 * Writes `<resultsDir>/<name>.md` (`# title`, `preamble` paragraphs, the sections, the raw figures)
 * and `<name>.svg` when there is a plot, prints the markdown; with `readme`, rewrites its block.
 */
export async function publishResults({ resultsDir, name, title, preamble, sections, raw, plotSvg, readme, log }) {
  const plotFile = `${name}.svg`;
  const body = await markdown(
    `# ${title}\n\n${preamble.join('\n\n')}\n\n${sectionsMarkdown(sections, { plotFile })}\n`,
  );
  const rawSection = `<details><summary>raw figures</summary>\n\n\`\`\`json\n${JSON.stringify(raw, null, 1)}\n\`\`\`\n</details>\n`;
  console.log(body);
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${name}.md`), await markdown(`${body}\n${rawSection}`));
  log(`written ${join(resultsDir, `${name}.md`)}`);
  if (plotSvg) {
    writeFileSync(join(resultsDir, plotFile), plotSvg);
    log(`written ${join(resultsDir, plotFile)}`);
  }
  if (!readme) return;
  const text = readFileSync(readme, 'utf8');
  const from = text.indexOf(BLOCK_START);
  const to = text.indexOf(BLOCK_END);
  if (from < 0 || to < from) return log(`${readme} has no ${BLOCK_START} … ${BLOCK_END} block; not updated`);
  const block = await markdown(
    `${preamble.join('\n\n')} Full results: [results/${name}.md](results/${name}.md).\n\n${sectionsMarkdown(sections, { plotFile, linkPrefix: 'results/' })}\n`,
  );
  writeFileSync(readme, `${text.slice(0, from + BLOCK_START.length)}\n\n${block}\n${text.slice(to)}`);
  log(`${readme} updated`);
}
