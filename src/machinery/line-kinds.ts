/**
 * What each line of a file starts as — code, a comment, or content of a string, template literal,
 * block comment or YAML scalar — so that a scaffold marker is only ever a real comment and a
 * fragment only counts as present in real code: text that merely looks like
 * `// +kubeforge:scaffold:imports` inside a string is content, and an insertion there would
 * corrupt it. TypeScript is scanned by a small lexer (strings, template literals with `${…}`
 * nesting, block comments and regular expressions); YAML by the `yaml` package's lexer.
 */
import { CST, Lexer } from 'yaml';

/** How a file's lines are read: by its extension; `lines` (every `//` or `#` line is a comment) when unknown. */
export type CommentSyntax = 'typescript' | 'yaml' | 'lines';

/** `code`: a line of the file's own syntax; `comment`: starts with a comment; `content`: starts inside a string or block. */
export type LineKind = 'code' | 'comment' | 'content';

export function commentSyntaxOf(path: string): CommentSyntax {
  if (/\.(?:[cm]?[jt]sx?)$/.test(path)) return 'typescript';
  if (/\.ya?ml$/.test(path)) return 'yaml';
  return 'lines';
}

/** The kind of each line (by index) of a text in a syntax. */
export function lineKinds(text: string, syntax: CommentSyntax): LineKind[] {
  if (syntax === 'yaml') return yamlLineKinds(text);
  const comment = syntax === 'typescript' ? /^\s*\/\// : /^\s*(?:\/\/|#)/;
  const inCode = syntax === 'typescript' ? codeLineStarts(text) : undefined;
  return text
    .split('\n')
    .map((line, index) => (inCode?.[index] === false ? 'content' : comment.test(line) ? 'comment' : 'code'));
}

/**
 * YAML lines from the lexer's tokens: a line starting inside a scalar (quoted, plain over several
 * lines, or the body of a `|`/`>` block) is content; one whose first token is `#…` is a comment.
 */
function yamlLineKinds(text: string): LineKind[] {
  const lineStarts = [0];
  for (let index = text.indexOf('\n'); index >= 0; index = text.indexOf('\n', index + 1)) lineStarts.push(index + 1);
  const kinds = lineStarts.map((): LineKind => 'code');
  const lineAt = (offset: number) => lineStarts.findLastIndex((start) => start <= offset);
  let offset = 0;
  let scalarNext = false;
  /** After a `|`/`>` header: 'header' until its line ends, then 'body' for the body token. */
  let block: 'none' | 'header' | 'body' = 'none';
  for (const token of new Lexer().lex(text)) {
    if (token === CST.SCALAR) scalarNext = true;
    if (ZERO_WIDTH_TOKENS.has(token)) continue;
    const type = CST.tokenType(token);
    const scalar = scalarNext || type === 'double-quoted-scalar' || type === 'single-quoted-scalar';
    const end = offset + token.length;
    scalarNext = false;
    if (block === 'body' && !scalar) block = 'none';
    if (type === 'block-scalar-header') block = 'header';
    else if (type === 'newline' && block === 'header') block = 'body';
    else if (scalar) {
      const from = block === 'body' ? offset : offset + 1;
      for (let line = lineAt(from); line < lineStarts.length && lineStarts[line] < end; line++) {
        if (lineStarts[line] >= from) kinds[line] = 'content';
      }
      block = 'none';
    } else if (type === 'comment' && text.slice(lineStarts[lineAt(offset)], offset).trim() === '') {
      kinds[lineAt(offset)] = 'comment';
    }
    offset = end;
  }
  return kinds;
}

/** Lexer tokens that mark structure without standing for any source text. */
const ZERO_WIDTH_TOKENS = new Set([CST.DOCUMENT, CST.SCALAR, CST.FLOW_END]);

/** Keywords after which `/` starts a regular expression rather than a division. */
const REGEX_AFTER_WORD = new Set([
  'return',
  'typeof',
  'instanceof',
  'in',
  'of',
  'new',
  'delete',
  'void',
  'throw',
  'case',
  'do',
  'else',
  'yield',
  'await',
]);

type State = 'code' | 'line-comment' | 'block-comment' | 'string' | 'template' | 'regex';

/** Whether each line of TypeScript source starts in code (not inside a string, template, comment or regex). */
function codeLineStarts(text: string): boolean[] {
  const starts = [true];
  let state: State = 'code';
  let quote = '';
  let inClass = false;
  /** Open `${` of template literals: the braces opened inside each, innermost last. */
  const substitutions: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    const next = text[i + 1];
    if (state === 'line-comment' && char !== '\n') continue;
    if (char === '\n') {
      if (state === 'line-comment' || state === 'string' || state === 'regex') state = 'code';
      starts.push(state === 'code');
    } else if (char === '\\' && (state === 'string' || state === 'template' || state === 'regex')) {
      if (next === '\n') starts.push(false);
      i++;
    } else if (state === 'block-comment') {
      if (char === '*' && next === '/') {
        state = 'code';
        i++;
      }
    } else if (state === 'string') {
      if (char === quote) state = 'code';
    } else if (state === 'regex') {
      if (char === '[') inClass = true;
      else if (char === ']') inClass = false;
      else if (char === '/' && !inClass) state = 'code';
    } else if (state === 'template') {
      if (char === '`') state = 'code';
      else if (char === '$' && next === '{') {
        substitutions.push(0);
        state = 'code';
        i++;
      }
    } else if (char === '/' && (next === '/' || next === '*')) {
      state = next === '/' ? 'line-comment' : 'block-comment';
      i++;
    } else if (char === '/' && startsRegex(text, i)) {
      state = 'regex';
      inClass = false;
    } else if (char === "'" || char === '"') {
      state = 'string';
      quote = char;
    } else if (char === '`') {
      state = 'template';
    } else if (substitutions.length > 0 && (char === '{' || char === '}')) {
      const innermost = substitutions.length - 1;
      if (char === '{') substitutions[innermost]++;
      else if (substitutions[innermost] > 0) substitutions[innermost]--;
      else {
        substitutions.pop();
        state = 'template';
      }
    }
  }
  return starts;
}

/** Whether the `/` at `index` starts a regular expression: after an operator, a bracket or a keyword, not after a value. */
function startsRegex(text: string, index: number): boolean {
  let before = index - 1;
  while (before >= 0 && /\s/.test(text[before])) before--;
  if (before < 0) return true;
  const char = text[before];
  if (/[\w$]/.test(char)) {
    let start = before;
    while (start > 0 && /[\w$]/.test(text[start - 1])) start--;
    return REGEX_AFTER_WORD.has(text.slice(start, before + 1));
  }
  return !/[)\]}'"`]/.test(char);
}
