/**
 * The apiserver's field paths of CRD validation errors, read back into a schema path:
 * `spec.versions[1].schema.openAPIV3Schema.properties[spec].properties[rules].items.x-kubernetes-validations[0].rule`
 * names version 1, the steps `spec` → `rules` → items, and the keyword `x-kubernetes-validations[0]`.
 * `spec.validation.openAPIV3Schema…` (every version has the same schema) names no version.
 */

export type SchemaStep = { property: string } | 'items' | 'additionalProperties';

export interface CrdSchemaPath {
  /** Index into `spec.versions`; undefined when the error is about the schema all versions share. */
  versionIndex?: number;
  steps: SchemaStep[];
  /** What under the last step is wrong: `default`, `type`, `x-kubernetes-validations[0]`…; undefined: the schema itself. */
  keyword?: string;
}

const SCHEMA_PREFIX = /^spec\.(?:validation|versions\[(\d+)\]\.schema)\.openAPIV3Schema/;

/** The schema path of a CRD error's field; undefined when the field is not inside a schema (names, columns). */
export function parseCrdSchemaPath(field: string): CrdSchemaPath | undefined {
  const prefix = SCHEMA_PREFIX.exec(field);
  if (!prefix) return undefined;
  const path: CrdSchemaPath = { versionIndex: prefix[1] === undefined ? undefined : Number(prefix[1]), steps: [] };
  let rest = field.slice(prefix[0].length);
  for (;;) {
    const property = /^\.properties\[([^\]]*)\]/.exec(rest);
    const other = /^\.(items|additionalProperties)(?=\.|$)/.exec(rest);
    if (property) path.steps.push({ property: property[1] });
    else if (other) path.steps.push(other[1] as 'items' | 'additionalProperties');
    else break;
    rest = rest.slice((property ?? other)![0].length);
  }
  const keyword = /^\.([\w-]+(?:\[\d+\])?)/.exec(rest);
  if (keyword) path.keyword = keyword[1];
  return path;
}

/** The index of `spec.versions[i]` a non-schema field names (`spec.versions[1].additionalPrinterColumns[0]`). */
export function versionIndexOf(field: string): number | undefined {
  const match = /^spec\.versions\[(\d+)\]/.exec(field);
  return match ? Number(match[1]) : undefined;
}
