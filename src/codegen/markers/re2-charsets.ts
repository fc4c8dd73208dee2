/**
 * The code-point sets of RE2's syntax (`re2.ts`): ranges and their unions, Perl (`\\d \\s \\w`) and
 * POSIX (`[:alpha:]`) classes as Go's regexp defines them, and case folding.
 */

/** A set of code points. */
export type CharSet = (cp: number) => boolean;

export const MAX_RUNE = 0x10ffff;
export const range =
  (lo: number, hi: number): CharSet =>
  (cp) =>
    cp >= lo && cp <= hi;
export const anyOf =
  (...sets: CharSet[]): CharSet =>
  (cp) =>
    sets.some((set) => set(cp));
export const not =
  (set: CharSet): CharSet =>
  (cp) =>
    !set(cp);
export const chars =
  (text: string): CharSet =>
  (cp) =>
    text.includes(String.fromCodePoint(cp));

const DIGIT = range(0x30, 0x39);
const UPPER = range(0x41, 0x5a);
const LOWER = range(0x61, 0x7a);
const ALPHA = anyOf(UPPER, LOWER);
export const ALNUM = anyOf(DIGIT, ALPHA);
export const WORD = anyOf(ALNUM, chars('_'));
export const PERL_CLASSES: Record<string, CharSet> = { d: DIGIT, s: chars('\t\n\f\r '), w: WORD };
export const POSIX_CLASSES: Record<string, CharSet> = {
  alnum: ALNUM,
  alpha: ALPHA,
  ascii: range(0, 0x7f),
  blank: chars('\t '),
  cntrl: anyOf(range(0, 0x1f), range(0x7f, 0x7f)),
  digit: DIGIT,
  graph: range(0x21, 0x7e),
  lower: LOWER,
  print: range(0x20, 0x7e),
  punct: anyOf(range(0x21, 0x2f), range(0x3a, 0x40), range(0x5b, 0x60), range(0x7b, 0x7e)),
  space: chars('\t\n\v\f\r '),
  upper: UPPER,
  word: WORD,
  xdigit: anyOf(DIGIT, range(0x41, 0x46), range(0x61, 0x66)),
};

/** Case-insensitive sets: a code point matches if it or one of its case variants does. */
export function foldVariants(cp: number): number[] {
  const c = String.fromCodePoint(cp);
  const variants = [c.toLowerCase(), c.toUpperCase(), c.toUpperCase().toLowerCase()]
    .filter((v) => [...v].length === 1)
    .map((v) => v.codePointAt(0)!);
  return [cp, ...variants];
}
export const folded =
  (set: CharSet): CharSet =>
  (cp) =>
    foldVariants(cp).some(set);
