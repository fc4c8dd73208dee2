/**
 * Splits the comments above a declaration into description text and marker lines. JSDoc blocks
 * and `//` lines both count; lines starting with `+` are markers. Only the comment group directly
 * above the declaration (no blank line between) is its description, as with Go doc comments;
 * markers may sit in any group above it. Text is normalised as controller-gen does (TODO lines
 * dropped, everything after a `---` line dropped).
 */
import type { ts } from 'ts-morph';

export interface CommentLines {
  doc: string;
  markerLines: { text: string; line: number }[];
}

interface CommentLine {
  text: string;
  line: number;
}

/** Strips comment syntax from the text between `fullStart` and `start` (the node's trivia). */
function commentLines(
  fullText: string,
  fullStart: number,
  start: number,
  source: ts.SourceFile,
): { lines: CommentLine[]; groupStartIndex: number } {
  const trivia = fullText.slice(fullStart, start);
  const firstLine = source.getLineAndCharacterOfPosition(fullStart).line + 1;
  const rawLines = trivia.split('\n');
  const lines: CommentLine[] = [];
  let groupStartIndex = 0;
  let inBlock = false;
  rawLines.forEach((raw, index) => {
    const line = firstLine + index;
    let text = raw.trim();
    if (!inBlock && text === '') {
      // The first segment ends the previous token's line and the last one indents the node.
      const realBlankLine = index > 0 && index < rawLines.length - 1;
      if (realBlankLine) groupStartIndex = lines.length;
      return;
    }
    if (!inBlock && text.startsWith('//')) {
      lines.push({ text: text.replace(/^\/\/\s?/, '').trimEnd(), line });
      return;
    }
    if (!inBlock && text.startsWith('/*')) {
      inBlock = true;
      text = text.replace(/^\/\*+/, '');
    }
    if (inBlock) {
      if (text.includes('*/')) {
        inBlock = false;
        text = text.slice(0, text.indexOf('*/'));
      }
      text = text.replace(/^\*+(?!\/)/, '').trim();
      lines.push({ text, line });
    }
  });
  return { lines, groupStartIndex };
}

export function readComments(fullText: string, fullStart: number, start: number, source: ts.SourceFile): CommentLines {
  const { lines, groupStartIndex } = commentLines(fullText, fullStart, start, source);
  const markerLines = lines.filter((l) => l.text.startsWith('+')).map((l) => ({ text: l.text.slice(1), line: l.line }));
  const docLines: string[] = [];
  for (const { text } of lines.slice(groupStartIndex)) {
    if (text.startsWith('+') || text.startsWith('TODO')) continue;
    if (text.startsWith('---')) break;
    docLines.push(text);
  }
  while (docLines.length > 0 && docLines[0] === '') docLines.shift();
  while (docLines.length > 0 && docLines[docLines.length - 1] === '') docLines.pop();
  return { doc: docLines.join('\n'), markerLines };
}
