/**
 * The kubebuilder marker syntax, as controller-gen reads it: `+name`, `+name=value`, or
 * `+name:key=value,key=value`. Values are bare or quoted ("…" with escapes, `…` raw) strings,
 * numbers, booleans, lists (`a;b;c` or `{a,b,c}`) and maps (`{key: value, …}`); JSON also works.
 */

export class MarkerValueError extends Error {}

/** A marker value in a message: bare when it is plain printable ASCII, else JSON-quoted (so no line breaks). */
export function show(value: unknown): string {
  return typeof value === 'string' && /^[\x21-\x7e]+$/.test(value) ? value : JSON.stringify(value);
}

/** Splits `text` at `separator` characters that are outside quotes and brackets. */
export function splitTopLevel(text: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      current += c;
      if (c === '\\' && quote === '"') current += text[++i] ?? '';
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === '`' || c === "'") quote = c;
    else if (c === '{' || c === '[' || c === '(') depth++;
    else if (c === '}' || c === ']' || c === ')') depth--;
    if (c === separator && depth === 0) {
      parts.push(current);
      current = '';
    } else current += c;
  }
  if (quote) throw new MarkerValueError(`unterminated ${quote} quote`);
  parts.push(current);
  return parts;
}

/** Removes surrounding quotes: `"a\"b"` → `a"b`, `` `raw` `` → `raw`; bare text is trimmed. */
export function unquote(raw: string): string {
  const text = raw.trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    try {
      return JSON.parse(text) as string;
    } catch {
      throw new MarkerValueError(`invalid quoted string ${text}`);
    }
  }
  if (
    text.length >= 2 &&
    ((text.startsWith('`') && text.endsWith('`')) || (text.startsWith("'") && text.endsWith("'")))
  ) {
    return text.slice(1, -1);
  }
  if (text.startsWith('"') || text.startsWith('`'))
    throw new MarkerValueError(`unterminated ${text[0]} quote in ${text}`);
  return text;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** Parses a value of any type: JSON first, then the marker shorthand for lists and maps. */
export function parseAny(raw: string): unknown {
  const text = raw.trim();
  if (text === '') return '';
  if (text === 'true' || text === 'false') return text === 'true';
  if (text === 'null') return null;
  if (NUMBER.test(text)) return Number(text);
  if (text.startsWith('"') || text.startsWith('`') || text.startsWith("'")) return unquote(text);
  if (text.startsWith('[') || text.startsWith('{')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON: the marker shorthand below
    }
  }
  if (text.startsWith('{') && text.endsWith('}')) {
    const inner = text.slice(1, -1).trim();
    if (inner === '') return [];
    const items = splitTopLevel(inner, ',');
    const isMap = items.every((item) => splitTopLevel(item, ':').length >= 2);
    if (!isMap) return items.map(parseAny);
    return Object.fromEntries(
      items.map((item) => {
        const [key, ...rest] = splitTopLevel(item, ':');
        return [unquote(key), parseAny(rest.join(':'))];
      }),
    );
  }
  if (text.startsWith('[') && text.endsWith(']')) {
    throw new MarkerValueError(`invalid list ${text}`);
  }
  return text;
}

/** A list: `a;b;c`, `{a,b,c}` or a JSON array. */
export function parseList(raw: string): unknown[] {
  const text = raw.trim();
  if (text.startsWith('[') || (text.startsWith('{') && text.endsWith('}'))) {
    const value = parseAny(text);
    if (Array.isArray(value)) return value;
    throw new MarkerValueError(`expected a list, got a map: ${text}`);
  }
  if (text === '') return [];
  return splitTopLevel(text, ';').map(parseAny);
}

/** Parses `key=value,key2=value2` into raw (unparsed) values; a key without `=` means `true`. */
export function parseFields(raw: string): Map<string, string | true> {
  const fields = new Map<string, string | true>();
  for (const part of splitTopLevel(raw, ',')) {
    if (part.trim() === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) fields.set(part.trim(), true);
    else fields.set(part.slice(0, eq).trim(), part.slice(eq + 1));
  }
  return fields;
}
