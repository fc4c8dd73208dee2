import { describe, expect, it } from 'vitest';
import { parseMarker } from './registry.js';

const at = { file: 'api/v1/x.types.ts', line: 3 };
const parsed = (text: string) => {
  const result = parseMarker(text, at);
  if (!('marker' in result)) throw new Error(`expected a marker, got ${JSON.stringify(result)}`);
  return result.marker;
};
const error = (text: string) => {
  const result = parseMarker(text, at);
  return 'error' in result ? result.error : undefined;
};

describe('marker syntax', () => {
  it('reads values of every shape: numbers, quoted and raw strings, lists and maps', () => {
    expect(parsed('kubebuilder:validation:Minimum=-1.5').value).toBe(-1.5);
    expect(parsed('kubebuilder:validation:Pattern=`^a,b;c$`').value).toBe('^a,b;c$');
    expect(parsed('kubebuilder:validation:Enum=a;"b;c";3').value).toEqual(['a', 'b;c', 3]);
    expect(parsed('kubebuilder:default={a: 1, b: "x", c: {d: true}}').value).toEqual({ a: 1, b: 'x', c: { d: true } });
    expect(parsed('kubebuilder:default={"x","y"}').value).toEqual(['x', 'y']);
    expect(parsed('default=["main"]').value).toEqual(['main']);
    expect(parsed('kubebuilder:object:root').value).toBe(true);
  });

  it('reads named arguments, with commas inside quotes left alone', () => {
    const marker = parsed(
      'kubebuilder:validation:XValidation:rule="self.a, self.b",message=`a, b`,optionalOldSelf=true',
    );
    expect(marker.fields).toEqual({ rule: 'self.a, self.b', message: 'a, b', optionalOldSelf: true });
  });

  it('keeps the base name of items: variants and marks them', () => {
    expect(parsed('kubebuilder:validation:items:MaxLength=3')).toMatchObject({
      name: 'kubebuilder:validation:MaxLength',
      items: true,
      value: 3,
    });
  });

  it("ignores other generators' markers", () => {
    expect(parseMarker('genclient', at)).toEqual({ ignored: true });
    expect(parseMarker('kubeforge:scaffold:imports', at)).toEqual({ ignored: true });
  });

  it('reports unknown names, unknown arguments, missing arguments and bad values with a suggestion', () => {
    expect(error('kubebuilder:validation:Maximun=3')).toBe(
      'unknown marker +kubebuilder:validation:Maximun; did you mean +kubebuilder:validation:Maximum?',
    );
    expect(error('kubebuilder:rbac:group=apps,resources=deployments,verbs=get')).toBe(
      '+kubebuilder:rbac has no argument "group"; did you mean "groups"?',
    );
    expect(error('kubebuilder:printcolumn:name=Age,type=date')).toBe('+kubebuilder:printcolumn is missing JSONPath');
    expect(error('kubebuilder:validation:MinLength=1.5')).toBe(
      '+kubebuilder:validation:MinLength: expected an integer, got "1.5"',
    );
    expect(error('kubebuilder:validation:UniqueItems=maybe')).toBe(
      '+kubebuilder:validation:UniqueItems: expected true or false, got "maybe"',
    );
    expect(error('kubebuilder:subresource:status=true')).toBe('+kubebuilder:subresource:status takes no value');
    expect(error('kubebuilder:validation:Pattern')).toBe(
      '+kubebuilder:validation:Pattern needs a value (+kubebuilder:validation:Pattern=…)',
    );
    expect(error('kubebuilder:validation:Pattern="unterminated')).toBe(
      '+kubebuilder:validation:Pattern: unterminated " quote in "unterminated',
    );
  });
});
