import { describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { formatJsonLike, parseJsonFile } from './json-file.js';

const value = { name: 'guestbook', scripts: { test: 'vitest run' }, files: ['dist'] };

describe('JSON edits in the file’s own style', () => {
  it.each([
    ['tabs, no final newline', '{\n\t"name": "x",\n\t"scripts": {\n\t\t"a": "b"\n\t}\n}'],
    ['four spaces and a final newline', '{\n    "name": "x"\n}\n'],
    ['two spaces, CRLF line endings', '{\r\n  "name": "x"\r\n}\r\n'],
    ['one line', '{"name":"x"}\n'],
  ])('keeps %s', (_style, original) => {
    const written = formatJsonLike(original, value);
    expect(JSON.parse(written)).toEqual(value);
    expect(formatJsonLike(original, JSON.parse(original))).toBe(original);
  });

  it('writes the indentation it found', () => {
    expect(formatJsonLike('{\n\t"a": 1\n}', { a: [1] })).toBe('{\n\t"a": [\n\t\t1\n\t]\n}');
    expect(formatJsonLike('{\n    "a": 1\n}\n', { a: { b: 1 } })).toBe('{\n    "a": {\n        "b": 1\n    }\n}\n');
  });

  it('names the file, line and column of broken JSON', () => {
    const cases: [string, string][] = [
      ['{\n  "name": "x",\n}\n', 'package.json:3:1: not valid JSON: Expected double-quoted property name'],
      [
        '{\n  "name": "x"\n  "version": "1"\n}',
        "package.json:3:3: not valid JSON: Expected ',' or '}' after property value",
      ],
      ['{\n  "name":', 'package.json:2:10: not valid JSON: Unexpected end of JSON input'],
      ['[1] [2]', 'package.json:1:5: not valid JSON: Unexpected non-whitespace character after JSON'],
      ['{"a": tru}', 'package.json: not valid JSON: Unexpected token \'}\', "{"a": tru}" is not valid JSON'],
    ];
    for (const [text, message] of cases) {
      const hint = 'fix package.json by hand, then run the command again';
      expect(() => parseJsonFile('package.json', text)).toThrow(new UserError(message, { hint }));
    }
  });
});
