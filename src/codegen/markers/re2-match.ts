/**
 * Matching with RE2 semantics (Go's `regexp.MatchString`: does the pattern match anywhere in the
 * text), for checking defaults and enum values against a `pattern` exactly as the apiserver will:
 * JavaScript's RegExp differs from RE2 in `\s`, `.`, `$`, case folding and the syntax it accepts.
 * The tree from `parseRe2` becomes a Thompson NFA, simulated over the text's code points.
 */
import { WORD, type CharSet } from './re2-charsets.js';
import { parseRe2, Re2Error, type Assertion, type Re2Node } from './re2.js';

type State =
  | { kind: 'char'; set: CharSet; next: number }
  | { kind: 'split'; next: number[] }
  | { kind: 'assert'; assertion: Assertion; next: number }
  | { kind: 'match' };

class Program {
  readonly states: State[] = [{ kind: 'match' }];

  /** Adds the states of `node` leading to `next`; returns its first state. */
  compile(node: Re2Node, next: number): number {
    switch (node.op) {
      case 'empty':
        return next;
      case 'char':
        return this.add({ kind: 'char', set: node.set, next });
      case 'assert':
        return this.add({ kind: 'assert', assertion: node.kind, next });
      case 'concat':
        return node.subs.reduceRight((after, sub) => this.compile(sub, after), next);
      case 'alternate':
        return this.add({ kind: 'split', next: node.subs.map((sub) => this.compile(sub, next)) });
      case 'repeat': {
        let start = next;
        if (node.max < 0) {
          const loop = this.add({ kind: 'split', next: [] });
          (this.states[loop] as { next: number[] }).next.push(this.compile(node.sub, loop), next);
          start = loop;
        } else {
          for (let i = node.min; i < node.max; i++)
            start = this.add({ kind: 'split', next: [this.compile(node.sub, start), next] });
        }
        for (let i = 0; i < node.min; i++) start = this.compile(node.sub, start);
        return start;
      }
    }
  }

  private add(state: State): number {
    this.states.push(state);
    return this.states.length - 1;
  }
}

function holds(assertion: Assertion, text: number[], at: number): boolean {
  const word = (i: number) => i >= 0 && i < text.length && WORD(text[i]);
  switch (assertion) {
    case 'beginText':
      return at === 0;
    case 'endText':
      return at === text.length;
    case 'beginLine':
      return at === 0 || text[at - 1] === 10;
    case 'endLine':
      return at === text.length || text[at] === 10;
    case 'wordBoundary':
      return word(at - 1) !== word(at);
    case 'noWordBoundary':
      return word(at - 1) === word(at);
  }
}

/** The char states reachable from `from` at position `at` without consuming; true if one is the match. */
function closure(program: Program, from: number[], text: number[], at: number, into: Set<number>): boolean {
  const stack = [...from];
  const seen = new Set<number>();
  let matched = false;
  while (stack.length > 0) {
    const index = stack.pop()!;
    if (seen.has(index)) continue;
    seen.add(index);
    const state = program.states[index];
    if (state.kind === 'match') matched = true;
    else if (state.kind === 'char') into.add(index);
    else if (state.kind === 'split') stack.push(...state.next);
    else if (holds(state.assertion, text, at)) stack.push(state.next);
  }
  return matched;
}

/** Whether `pattern` (valid RE2) matches somewhere in `value`, as Go's regexp.MatchString decides. */
export function re2Matches(pattern: string, value: string): boolean {
  const program = new Program();
  const start = program.compile(parseRe2(pattern), 0);
  const text = [...value].map((c) => c.codePointAt(0)!);
  let current = new Set<number>();
  for (let at = 0; at <= text.length; at++) {
    const next = new Set<number>();
    if (closure(program, [...current, start], text, at, next)) return true;
    if (at === text.length) break;
    current = new Set();
    for (const index of next) {
      const state = program.states[index] as Extract<State, { kind: 'char' }>;
      if (state.set(text[at])) current.add(state.next);
    }
  }
  return false;
}

/** Whether `pattern` is valid RE2 (the Pattern marker reports why not). */
export function validRe2(pattern: string): boolean {
  try {
    parseRe2(pattern);
    return true;
  } catch (error) {
    if (error instanceof Re2Error) return false;
    throw error;
  }
}
