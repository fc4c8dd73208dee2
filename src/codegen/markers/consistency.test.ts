/**
 * The registry is consistent: every effect a marker declares is one its consumer can reach (the
 * schema builder only sees field and type markers, the CRD builder root markers, …), every marker
 * does something, every name parses back to its own definition, and a name that is not a marker
 * does not compile.
 */
import { describe, expect, it } from 'vitest';
import { Diagnostics } from '../diagnostics.js';
import { scanFreeMarkers } from '../source/index.js';
import type { MarkerSpec, MarkerTarget, ValueType } from './definition.js';
import type { Marker } from './index.js';
import { CRD_MARKERS } from './crd.js';
import { RBAC_MARKERS } from './rbac.js';
import { MARKERS, parseMarker, type MarkerName } from './registry.js';
import { SCHEMA_MARKERS } from './schema.js';
import { VALIDATION_MARKERS } from './validation.js';
import { WEBHOOK_MARKERS } from './webhook.js';

type Effect = Exclude<keyof MarkerSpec, 'targets' | 'value' | 'fields' | 'hasItemsVariant' | 'ignored' | 'repeatable'>;

/** Where the consumer of each effect looks for markers (a new hook must be added here to compile). */
const REACHED_ON: Record<Effect, MarkerTarget[]> = {
  schemaOrder: ['field', 'type'],
  needs: ['field', 'type'],
  applyToSchema: ['field', 'type'],
  checkField: ['field'],
  applyToPackage: ['package'],
  checkRoot: ['root'],
  applyToVersion: ['root'],
  applyToCrd: ['root'],
  applyToRbac: ['anywhere'],
  applyToWebhooks: ['anywhere'],
};
const EFFECTS = Object.keys(REACHED_ON) as Effect[];

/** Markers without effect hooks that `crd.ts` reads by name: they decide which versions exist. */
const READ_BY_NAME: MarkerName[] = ['kubebuilder:object:root', 'kubebuilder:skipversion'];

const NAMES = Object.keys(MARKERS) as MarkerName[];
const spec = (name: MarkerName): MarkerSpec => MARKERS[name];

const SAMPLE: Record<ValueType, string> = {
  string: 'x',
  int: '1',
  number: '1',
  bool: 'true',
  any: '1',
  json: '1',
  stringList: 'a;b',
  anyList: 'a;b',
};

/** The shortest valid text of a marker: its required arguments, or its value. */
function sampleText(name: string, { value, fields }: MarkerSpec): string {
  if (fields) {
    const required = Object.entries(fields).filter(([, [, isRequired]]) => isRequired);
    return required.length ? `${name}:${required.map(([key, [type]]) => `${key}=${SAMPLE[type]}`).join(',')}` : name;
  }
  return value ? `${name}=${SAMPLE[value]}` : name;
}

function parsed(text: string): Marker {
  const result = parseMarker(text, { file: 'api/v1/x.types.ts', line: 1 });
  if (!('marker' in result)) throw new Error(`${text}: ${JSON.stringify(result)}`);
  return result.marker;
}

describe('the marker registry', () => {
  it('holds every family, with no name defined twice', () => {
    const families = [VALIDATION_MARKERS, SCHEMA_MARKERS, CRD_MARKERS, RBAC_MARKERS, WEBHOOK_MARKERS];
    expect(families.reduce((count, family) => count + Object.keys(family).length, 0)).toBe(NAMES.length);
  });

  it.each(NAMES)('%s: each effect sits on a target its consumer reaches', (name) => {
    const { targets } = spec(name);
    for (const effect of EFFECTS.filter((e) => spec(name)[e] !== undefined)) {
      expect(
        REACHED_ON[effect].some((target) => targets.includes(target)),
        `${effect} on ${targets.join(', ')}`,
      ).toBe(true);
    }
  });

  it('gives every marker an effect, unless it is ignored or read by name', () => {
    const withoutEffect = NAMES.filter(
      (name) => !spec(name).ignored && !READ_BY_NAME.includes(name) && EFFECTS.every((e) => !spec(name)[e]),
    );
    expect(withoutEffect).toEqual([]);
  });

  it.each(NAMES)('%s: parses back to its own definition (and items: variant)', (name) => {
    const text = sampleText(name, spec(name));
    if (spec(name).ignored) {
      expect(parseMarker(text, { file: 'x.ts', line: 1 })).toEqual({ ignored: true });
      return;
    }
    expect(parsed(text)).toMatchObject({ name, items: false, definition: { name } });
    if (spec(name).hasItemsVariant) {
      const itemsName = name.replace('validation:', 'validation:items:');
      expect(parsed(sampleText(itemsName, spec(name)))).toMatchObject({
        name,
        items: true,
        definition: { name: itemsName },
      });
    }
  });

  it('finds every marker with an RBAC or webhook effect in src/** by its line scan', () => {
    const free = NAMES.filter((name) => spec(name).applyToRbac || spec(name).applyToWebhooks);
    const diagnostics = new Diagnostics();
    const text = free.map((name) => `// +${sampleText(name, spec(name))}`).join('\n');
    expect(scanFreeMarkers([{ path: 'src/x.ts', text }], diagnostics).map((m) => m.name)).toEqual(free);
    expect(diagnostics.errors).toEqual([]);
  });

  it('makes an unknown marker name a compile-time error', () => {
    // @ts-expect-error: a misspelt marker name is not a MarkerName
    const misspelt: MarkerName = 'kubebuilder:validation:Maximun';
    const marker = parsed('kubebuilder:validation:Maximum=1');
    // @ts-expect-error: comparing a marker's name with a name that is no marker does not compile
    expect(marker.name === 'kubebuilder:validation:Maximun').toBe(false);
    expect(misspelt in MARKERS).toBe(false);
  });
});
