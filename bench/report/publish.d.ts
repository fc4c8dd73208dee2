/** Types of publish.js for its tests (the benchmark scripts are plain Node ESM). */
export interface Section {
  heading?: string;
  table?: string;
  notes: string[];
}
export function sectionsMarkdown(sections: Section[], links: { plotFile: string; linkPrefix?: string }): string;
export function publishResults(results: {
  resultsDir: string;
  name: string;
  title: string;
  preamble: string[];
  sections: Section[];
  raw: unknown;
  plotSvg?: string;
  readme?: string;
  log: (line: string) => void;
}): Promise<void>;
