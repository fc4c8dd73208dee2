/**
 * RE2, the regular expression syntax the apiserver compiles a CRD's `pattern` with (Go's regexp,
 * Perl flags). `parseRe2` accepts exactly what Go accepts and otherwise says what is wrong and what
 * to write instead: lookaround, backreferences, possessive quantifiers, atomic groups, `\u0041`,
 * `\Z`… are JavaScript or PCRE only, and a CRD carrying them is rejected when it is applied. The
 * tree it returns is what `re2-match.ts` matches defaults and enum values with.
 */
import {
  ALNUM,
  anyOf,
  folded,
  MAX_RUNE,
  not,
  PERL_CLASSES,
  POSIX_CLASSES,
  range,
  type CharSet,
} from './re2-charsets.js';
import { unicodeProperty } from './re2-unicode.js';

export type Assertion = 'beginText' | 'endText' | 'beginLine' | 'endLine' | 'wordBoundary' | 'noWordBoundary';
export type Re2Node =
  | { op: 'empty' }
  | { op: 'char'; set: CharSet }
  | { op: 'assert'; kind: Assertion }
  | { op: 'concat'; subs: Re2Node[] }
  | { op: 'alternate'; subs: Re2Node[] }
  | { op: 'repeat'; sub: Re2Node; min: number; max: number };

export class Re2Error extends Error {}

interface Flags {
  foldCase: boolean;
  multiLine: boolean;
  dotNewline: boolean;
}

const MAX_REPEAT = 1000;
const MAX_DEPTH = 1000;
const C_ESCAPES: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
/** What JavaScript or PCRE writers reach for, and what RE2 says instead. */
const UNSUPPORTED_ESCAPES: Record<string, string> = {
  u: 'write code points as \\x{0041}, not \\u0041',
  c: 'control characters are written \\x01 … \\x1f, not \\cA',
  Z: 'use \\z (end of text) or $',
  k: 'RE2 has no backreferences',
  C: 'RE2 has no single-byte match',
  G: 'RE2 has no \\G anchor',
  h: 'RE2 has no \\h; use [\\t ]',
  R: 'RE2 has no \\R; use (?:\\r\\n|\\n|\\r)',
  X: 'RE2 has no \\X',
  N: 'RE2 has no \\N; use [^\\n] or \\x{…}',
  e: 'use \\x1b for escape',
};

class Parser {
  private pos = 0;
  private depth = 0;
  private flags: Flags = { foldCase: false, multiLine: false, dotNewline: false };
  private readonly cps: number[];

  constructor(private readonly pattern: string) {
    this.cps = [...pattern].map((c) => c.codePointAt(0)!);
  }

  private peek(offset = 0): string {
    const cp = this.cps[this.pos + offset];
    return cp === undefined ? '' : String.fromCodePoint(cp);
  }

  private rest(): string {
    return String.fromCodePoint(...this.cps.slice(this.pos));
  }

  private fail(message: string): never {
    throw new Re2Error(message);
  }

  parse(): Re2Node {
    const node = this.alternation();
    if (this.pos < this.cps.length) this.fail('unexpected ): it closes a group that was never opened');
    return node;
  }

  private alternation(): Re2Node {
    const branches = [this.concatenation()];
    while (this.peek() === '|') {
      this.pos++;
      branches.push(this.concatenation());
    }
    return branches.length === 1 ? branches[0] : { op: 'alternate', subs: branches };
  }

  private concatenation(): Re2Node {
    const items: Re2Node[] = [];
    let lastWasRepeat = false;
    while (this.pos < this.cps.length && this.peek() !== '|' && this.peek() !== ')') {
      const repeat = this.repetition();
      if (repeat) {
        if (lastWasRepeat)
          this.fail(
            `invalid nested repetition operator ${repeat.text}: RE2 has no possessive quantifiers (a*+, a++) and does not stack repetitions; it never backtracks, so write a* or (?:a*)*`,
          );
        const sub = items.pop();
        if (!sub) this.fail(`missing argument to repetition operator ${repeat.text}`);
        items.push({ op: 'repeat', sub, min: repeat.min, max: repeat.max });
        lastWasRepeat = true;
        continue;
      }
      lastWasRepeat = false;
      const atom = this.atom();
      if (atom) items.push(...atom);
    }
    if (items.length === 0) return { op: 'empty' };
    return items.length === 1 ? items[0] : { op: 'concat', subs: items };
  }

  /** `*`, `+`, `?` or `{n,m}` (each optionally followed by `?`), or nothing. */
  private repetition(): { min: number; max: number; text: string } | undefined {
    const start = this.pos;
    const c = this.peek();
    let bounds: [number, number] | undefined;
    if (c === '*' || c === '+' || c === '?') {
      this.pos++;
      bounds = c === '*' ? [0, -1] : c === '+' ? [1, -1] : [0, 1];
    } else if (c === '{') {
      const match = /^\{(0|[1-9][0-9]*)(,(0|[1-9][0-9]*)?)?\}/.exec(this.rest());
      if (!match) return undefined;
      this.pos += match[0].length;
      const min = Number(match[1]);
      const max = match[2] === undefined ? min : match[3] === undefined ? -1 : Number(match[3]);
      if (min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max))
        this.fail(`invalid repeat count ${match[0]}: counts go up to ${MAX_REPEAT}, the lower one first`);
      bounds = [min, max];
    } else return undefined;
    if (this.peek() === '?') this.pos++;
    return { min: bounds[0], max: bounds[1], text: String.fromCodePoint(...this.cps.slice(start, this.pos)) };
  }

  /** One atom; an empty list for a flag group such as `(?i)`, which matches nothing itself. */
  private atom(): Re2Node[] | undefined {
    const c = this.peek();
    switch (c) {
      case '(':
        return this.group();
      case '[':
        return [{ op: 'char', set: this.charClass() }];
      case '.':
        this.pos++;
        return [{ op: 'char', set: this.flags.dotNewline ? () => true : (cp) => cp !== 10 }];
      case '^':
        this.pos++;
        return [{ op: 'assert', kind: this.flags.multiLine ? 'beginLine' : 'beginText' }];
      case '$':
        this.pos++;
        return [{ op: 'assert', kind: this.flags.multiLine ? 'endLine' : 'endText' }];
      case '\\':
        return this.escapeAtom();
      default:
        this.pos++;
        return [this.literal(c.codePointAt(0)!)];
    }
  }

  private literal(cp: number): Re2Node {
    const set: CharSet = (x) => x === cp;
    return { op: 'char', set: this.flags.foldCase ? folded(set) : set };
  }

  private group(): Re2Node[] {
    const text = this.rest();
    if (text.startsWith('(?')) {
      const named = /^\(\?P?<([^>]*)>/.exec(text);
      if (named || /^\(\?P?</.test(text)) {
        if (/^\(\?<[=!]/.test(text)) this.fail('RE2 has no lookbehind (?<=…) / (?<!…): rewrite the pattern without it');
        if (!named || !/^[A-Za-z0-9_]+$/.test(named[1]))
          this.fail('invalid named capture: write (?P<name>…) with letters, digits and _');
        this.pos += [...named[0]].length;
        return [this.groupBody()];
      }
      if (/^\(\?[=!]/.test(text)) this.fail('RE2 has no lookahead (?=…) / (?!…): rewrite the pattern without it');
      if (text.startsWith('(?>')) this.fail('RE2 has no atomic groups (?>…): use (?:…), RE2 never backtracks');
      if (text.startsWith('(?P=')) this.fail('RE2 has no backreferences (?P=name)');
      return this.flagGroup(text);
    }
    this.pos++;
    return [this.groupBody()];
  }

  /** `(?i)`, `(?i-s:…)`: flags i, m, s and U, each sign at most once. */
  private flagGroup(text: string): Re2Node[] {
    const match = /^\(\?([imsU]*)(?:-([imsU]+))?([:)])/.exec(text);
    if (!match)
      this.fail(
        `invalid or unsupported Perl syntax ${text.slice(0, 3)}: RE2 groups are (…), (?:…), (?P<name>…) and flags (?imsU-imsU)`,
      );
    const saved = { ...this.flags };
    for (const [letters, on] of [
      [match[1], true],
      [match[2] ?? '', false],
    ] as const) {
      if (letters.includes('i')) this.flags.foldCase = on;
      if (letters.includes('m')) this.flags.multiLine = on;
      if (letters.includes('s')) this.flags.dotNewline = on;
    }
    this.pos += match[0].length;
    if (match[3] === ')') return [];
    const body = this.groupContent();
    this.flags = saved;
    return [body];
  }

  private groupBody(): Re2Node {
    const saved = { ...this.flags };
    const body = this.groupContent();
    this.flags = saved;
    return body;
  }

  private groupContent(): Re2Node {
    if (++this.depth > MAX_DEPTH) this.fail(`expression nests too deeply (more than ${MAX_DEPTH} groups)`);
    const body = this.alternation();
    if (this.peek() !== ')') this.fail('missing closing ): a group is never closed');
    this.pos++;
    this.depth--;
    return body;
  }

  private escapeAtom(): Re2Node[] {
    const next = this.peek(1);
    const assertions: Record<string, Assertion> = {
      A: 'beginText',
      z: 'endText',
      b: 'wordBoundary',
      B: 'noWordBoundary',
    };
    if (assertions[next]) {
      this.pos += 2;
      return [{ op: 'assert', kind: assertions[next] }];
    }
    if (next === 'Q') {
      const text = this.rest().slice(2);
      const end = text.indexOf('\\E');
      const literal = end < 0 ? text : text.slice(0, end);
      this.pos += 2 + [...literal].length + (end < 0 ? 0 : 2);
      return [...literal].map((c) => this.literal(c.codePointAt(0)!));
    }
    const set = this.classEscape();
    if (set) return [{ op: 'char', set }];
    return [this.literal(this.escape())];
  }

  /** `\d`, `\pL`, `\p{Greek}`, `\P{…}`, `\p{^…}`: a set, or undefined when the escape is no class. */
  private classEscape(): CharSet | undefined {
    const next = this.peek(1);
    const perl = PERL_CLASSES[next.toLowerCase()];
    if (perl && /[dswDSW]/.test(next)) {
      this.pos += 2;
      return this.namedGroup(perl, next !== next.toLowerCase());
    }
    if (next !== 'p' && next !== 'P') return undefined;
    const text = this.rest();
    const braced = /^\\[pP]\{([^}]*)\}/.exec(text);
    if (!braced && text[2] === '{') this.fail('missing } after \\p{');
    const seq = braced ? braced[0] : text.slice(0, 2) + (this.peek(2) || this.fail('missing class name after \\p'));
    let name = braced ? braced[1] : this.peek(2);
    let negate = next === 'P';
    if (name.startsWith('^')) [name, negate] = [name.slice(1), !negate];
    const property = unicodeProperty(name);
    if (!property) this.fail(`unknown Unicode class ${seq}: use a category (\\pL, \\p{Lu}) or a script (\\p{Greek})`);
    this.pos += [...seq].length;
    const regexp = new RegExp(`^\\p{${property}}$`, 'u');
    const set: CharSet = (cp) => regexp.test(String.fromCodePoint(cp));
    return this.namedGroup(set, negate);
  }

  private withFold(set: CharSet): CharSet {
    return this.flags.foldCase ? folded(set) : set;
  }

  /** A named group of characters (`\\d`, `\\pL`, `[:alpha:]`): folded first, then negated, as Go does. */
  private namedGroup(set: CharSet, negate: boolean): CharSet {
    const withCase = this.withFold(set);
    return negate ? not(withCase) : withCase;
  }

  /** An escaped character: `\.`, `\n`, `\x41`, `\x{263a}`, octal `\012`; anything else is an error. */
  private escape(): number {
    this.pos++;
    const c = this.peek();
    if (c === '') this.fail('trailing backslash at end of expression');
    this.pos++;
    const cp = c.codePointAt(0)!;
    if (cp < 0x80 && !ALNUM(cp)) return cp;
    const octal = /^[0-7]{0,2}/.exec(this.rest())![0];
    if (c === '0' || (/[1-7]/.test(c) && octal.length > 0)) {
      this.pos += octal.length;
      return parseInt(c + octal, 8);
    }
    if (/[1-9]/.test(c)) this.fail(`RE2 has no backreferences (\\${c}): match the repeated text explicitly`);
    if (c === 'x') {
      const hex = /^(?:\{([0-9A-Fa-f]+)\}|([0-9A-Fa-f]{2}))/.exec(this.rest());
      const value = hex ? parseInt(hex[1] ?? hex[2], 16) : NaN;
      if (!hex || value > MAX_RUNE)
        this.fail('invalid escape sequence \\x: write \\x41 or \\x{263a} (at most \\x{10FFFF})');
      this.pos += hex[0].length;
      return value;
    }
    if (C_ESCAPES[c] !== undefined) return C_ESCAPES[c];
    this.fail(`invalid escape sequence \\${c}${UNSUPPORTED_ESCAPES[c] ? `: ${UNSUPPORTED_ESCAPES[c]}` : ''}`);
  }

  /** `[…]`: ranges, escapes, `\d`, `\p{…}`, `[:alpha:]`; `]` first is literal, `-` literal at the ends. */
  private charClass(): CharSet {
    this.pos++;
    let negate = false;
    if (this.peek() === '^') {
      negate = true;
      this.pos++;
    }
    const parts: CharSet[] = [];
    let first = true;
    while (this.peek() !== ']' || first) {
      first = false;
      if (this.pos >= this.cps.length) this.fail('missing closing ]: a character class is never closed');
      const posix = this.posixClass();
      if (posix) {
        parts.push(posix);
        continue;
      }
      const set = this.peek() === '\\' ? this.classEscape() : undefined;
      if (set) {
        parts.push(set);
        continue;
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peek() === '-' && this.peek(1) !== ']' && this.peek(1) !== '') {
        this.pos++;
        hi = this.classChar();
        if (hi < lo)
          this.fail(
            `invalid character class range ${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}: write the lower end first`,
          );
      }
      parts.push(this.withFold(range(lo, hi)));
    }
    this.pos++;
    const set = anyOf(...parts);
    return negate ? not(set) : set;
  }

  /** `[:alpha:]`, `[:^alpha:]` inside a class; Go takes the text up to the first `:]` as the name. */
  private posixClass(): CharSet | undefined {
    const text = this.rest();
    const end = text.startsWith('[:') ? text.indexOf(':]', 2) : -1;
    if (end < 0) return undefined;
    const name = text.slice(0, end + 2);
    const [, negate, word] = /^\[:(\^?)(.*):\]$/s.exec(name)!;
    const set = Object.hasOwn(POSIX_CLASSES, word) ? POSIX_CLASSES[word] : undefined;
    if (!set) this.fail(`unknown POSIX class ${name}: use [:alpha:], [:digit:], [:space:]…`);
    this.pos += [...name].length;
    return this.namedGroup(set, negate === '^');
  }

  private classChar(): number {
    if (this.peek() === '\\') {
      if (this.peek(1) === 'b') this.fail('invalid escape sequence \\b in a class: RE2 writes backspace as \\x08');
      return this.escape();
    }
    const cp = this.cps[this.pos++];
    return cp;
  }
}

/** True when some repetition nests more than 1000 copies of what it repeats (Go's limit). */
function tooManyCopies(node: Re2Node, budget: number): boolean {
  let left = budget;
  if (node.op === 'repeat') {
    const copies = node.max === 0 ? 0 : node.max < 0 ? node.min : node.max;
    if (copies > left) return true;
    if (copies > 0) left = Math.floor(left / copies);
    if (node.max === 0) return false;
  }
  const subs = node.op === 'repeat' ? [node.sub] : node.op === 'concat' || node.op === 'alternate' ? node.subs : [];
  return subs.some((sub) => tooManyCopies(sub, left));
}

function checkRepeats(node: Re2Node): void {
  if (node.op === 'repeat' && (node.min >= 2 || node.max >= 2) && tooManyCopies(node, MAX_REPEAT))
    throw new Re2Error(`invalid repeat count: nested repetitions make more than ${MAX_REPEAT} copies`);
  const subs = node.op === 'repeat' ? [node.sub] : node.op === 'concat' || node.op === 'alternate' ? node.subs : [];
  subs.forEach(checkRepeats);
}

/** Parses `pattern` as Go's regexp does; throws `Re2Error` saying what RE2 does not accept. */
export function parseRe2(pattern: string): Re2Node {
  const node = new Parser(pattern).parse();
  checkRepeats(node);
  return node;
}
