// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function and per source
// file. Frames of a bundle are mapped back to their original files through its source map
// (node:module's SourceMap); node_modules packages and node: internals are grouped.
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';

/**
 * `{ totalMs, functions: [{ name, ms, share }], sources: [{ source, ms, share }] }`, top `limit`
 * each; `bundle` (optional) is the path of the profiled bundle, read with `<bundle>.map`.
 */
export function summarizeCpuProfile(file, { bundle, limit = 15 } = {}) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const sourceMap =
    bundle && existsSync(`${bundle}.map`)
      ? new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')))
      : undefined;
  const original = ({ url, lineNumber, columnNumber }) => {
    if (!sourceMap || !url.endsWith(bundle)) return { url, lineNumber };
    const entry = sourceMap.findEntry(lineNumber, columnNumber);
    return entry.originalSource ? { url: entry.originalSource, lineNumber: entry.originalLine } : { url, lineNumber };
  };
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfMs = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  }
  const functions = new Map();
  const sources = new Map();
  let totalMs = 0;
  for (const [id, ms] of selfMs) {
    const { callFrame } = byId.get(id);
    const { functionName } = callFrame;
    if (functionName === '(idle)') continue;
    const { url, lineNumber } = original(callFrame);
    totalMs += ms;
    const name = `${functionName || '(anonymous)'} ${shortSource(url)}${url ? `:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + ms);
    const source = url ? shortSource(url) : functionName;
    sources.set(source, (sources.get(source) ?? 0) + ms);
  }
  const top = (map, key) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([label, ms]) => ({ [key]: label, ms, share: ms / totalMs }));
  return { totalMs, functions: top(functions, 'name'), sources: top(sources, 'source') };
}

function shortSource(url) {
  if (!url) return '';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0)
    return url
      .slice(modules + 'node_modules/'.length)
      .split('/')
      .slice(0, url.includes('/@') ? 2 : 1)
      .join('/');
  if (url.startsWith('node:')) return url;
  const dist = url.lastIndexOf('/dist/');
  return dist >= 0 ? `kubeforge/${url.slice(dist + '/dist/'.length)}` : url.slice(url.lastIndexOf('/') + 1);
}
