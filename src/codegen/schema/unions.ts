/**
 * TypeScript discriminated unions (`{type: 'A'; a: …} | {type: 'B'; b: …}`) as a structural
 * schema: the properties of all members, the discriminator as an enum, and one CEL rule per
 * member requiring its fields and forbidding the others', so exactly one shape is accepted. A
 * field those rules must name but CEL cannot see (free-form, without a type) is an error: no
 * schema the apiserver accepts says the union then.
 */
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import { celField, celString, type JSONSchemaProps, type ValidationRule } from '../json-schema.js';
import { CEL_INVISIBLE_HINT, celVisible } from '../markers/index.js';

function discriminatorOf(members: JSONSchemaProps[]): string | undefined {
  const candidates = Object.keys(members[0].properties ?? {});
  return candidates.find((name) =>
    members.every(
      (m) =>
        m.required?.includes(name) && m.properties?.[name]?.type === 'string' && m.properties[name].enum?.length === 1,
    ),
  );
}

export function discriminatedUnion(
  members: JSONSchemaProps[],
  loc: SourceLocation,
  diagnostics: Diagnostics,
): JSONSchemaProps {
  const discriminator = discriminatorOf(members);
  if (!discriminator) {
    diagnostics.error(
      loc,
      'a union of object types needs a discriminator: a required property with a different string literal in every member',
    );
    return { type: 'object' };
  }
  // A Map, not an object: field names such as constructor or __proto__ are no object's own keys.
  const merged = new Map<string, JSONSchemaProps>();
  const values: string[] = [];
  for (const member of members) {
    values.push(member.properties![discriminator].enum![0] as string);
    for (const [name, schema] of Object.entries(member.properties ?? {})) {
      if (name === discriminator) continue;
      const earlier = merged.get(name);
      if (earlier && JSON.stringify(earlier) !== JSON.stringify(schema)) {
        diagnostics.error(
          loc,
          `union members declare "${name}" with different types; give it one type or different names`,
        );
      }
      merged.set(name, schema);
    }
  }
  const properties = Object.fromEntries(merged);
  if (new Set(values).size !== values.length)
    diagnostics.error(loc, `union members must have distinct "${discriminator}" values`);
  const discriminatorSchema: JSONSchemaProps = { ...members[0].properties![discriminator], enum: values };
  const requiredEverywhere = Object.keys(properties).filter((name) => members.every((m) => m.required?.includes(name)));
  // The rules name fields as the apiserver's CEL reaches them (escaped), if it can.
  const unreachable = [discriminator, ...Object.keys(properties)].filter((name) => celField(name) === undefined);
  if (unreachable.length > 0) {
    diagnostics.error(
      loc,
      `a discriminated union's rules must name its fields in CEL, which cannot reach ${unreachable.map((n) => JSON.stringify(n)).join(', ')} (only names of the form [a-zA-Z_.-/][a-zA-Z0-9_.-/]*): rename them`,
    );
    return { type: 'object' };
  }
  const cel = (name: string) => `self.${celField(name)}`;
  const named = members.map((member) => {
    const own = Object.keys(member.properties ?? {}).filter((n) => n !== discriminator);
    const mustHave = (member.required ?? []).filter((n) => n !== discriminator && !requiredEverywhere.includes(n));
    const mustNotHave = Object.keys(properties).filter((n) => !own.includes(n));
    return { mustHave, mustNotHave };
  });
  // A rule naming a field CEL cannot see does not compile: no rule can require or forbid it.
  const unseen = [...new Set(named.flatMap((n) => [...n.mustHave, ...n.mustNotHave]))].filter(
    (name) => !celVisible(properties[name]),
  );
  for (const name of unseen)
    diagnostics.error(
      loc,
      `a discriminated union's CEL rules must require or forbid "${name}" per member, but "${name}" is ${CEL_INVISIBLE_HINT}; or declare "${name}" in every member, all optional or all required`,
    );
  if (unseen.length > 0) return { type: 'object' };
  const rules: ValidationRule[] = members.map((member, i) => {
    const { mustHave, mustNotHave } = named[i];
    const checks = [...mustHave.map((n) => `has(${cel(n)})`), ...mustNotHave.map((n) => `!has(${cel(n)})`)];
    const parts = [
      mustHave.length ? `${mustHave.join(', ')} required` : '',
      mustNotHave.length ? `${mustNotHave.join(', ')} not allowed` : '',
    ].filter(Boolean);
    return {
      rule: `${cel(discriminator)} != ${celString(values[i])} || (${checks.length ? checks.join(' && ') : 'true'})`,
      message: `when ${discriminator} is '${values[i]}': ${parts.join('; ') || 'no other fields'}`,
    };
  });
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: { ...properties, [discriminator]: discriminatorSchema },
    required: [discriminator, ...requiredEverywhere].sort(),
  };
  const usefulRules = rules.filter((r) => !r.rule.endsWith('(true)'));
  if (usefulRules.length > 0) schema['x-kubernetes-validations'] = usefulRules;
  return schema;
}
