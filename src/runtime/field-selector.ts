/**
 * Field selectors as the apiserver reads them (`spec.nodeName=a,metadata.name!=b`), and
 * `matchingFields` (controller-runtime's `client.MatchingFields`): a map of exact matches, which
 * the direct client sends as a field selector and the cached client answers from field indexes.
 */

export interface FieldRequirement {
  field: string;
  operator: '=' | '!=';
  value: string;
}

/** Escapes a value for a field selector (`\`, `,` and `=`), as apimachinery's `fields.EscapeValue`. */
function escapeFieldValue(value: string): string {
  return value.replace(/[\\,=]/g, (c) => `\\${c}`);
}

/** The field selector of `fieldSelector` and `matchingFields` together; undefined when neither has a term. */
export function fieldSelectorFor(options: {
  fieldSelector?: string;
  matchingFields?: Record<string, string>;
}): string | undefined {
  const terms = Object.entries(options.matchingFields ?? {}).map(([f, v]) => `${f}=${escapeFieldValue(v)}`);
  if (options.fieldSelector?.trim()) terms.unshift(options.fieldSelector.trim());
  return terms.length > 0 ? terms.join(',') : undefined;
}

/** Parses a field selector into its terms; throws naming a term that is not `field=value`, `==` or `!=`. */
export function parseFieldSelector(selector: string): FieldRequirement[] {
  const terms: string[] = [];
  let term = '';
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '\\' && i + 1 < selector.length) term += c + selector[++i];
    else if (c === ',') {
      terms.push(term);
      term = '';
    } else term += c;
  }
  terms.push(term);
  return terms
    .filter((t) => t.trim() !== '')
    .map((t) => {
      const match = /^\s*([^\s=!\\]+)\s*(==|=|!=)(.*)$/.exec(t);
      if (!match) throw new Error(`invalid field selector term "${t.trim()}" (expected field=value or field!=value)`);
      const value = match[3].trim().replace(/\\(.)/g, '$1');
      return { field: match[1], operator: match[2] === '!=' ? '!=' : '=', value };
    });
}
