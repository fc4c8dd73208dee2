/**
 * Label selectors as the apiserver reads them ('app=web,tier!=db,env in (a,b),!legacy'),
 * parsed once and matched against object labels, for cached lists and predicates.
 */

export type LabelRequirement =
  { key: string; operator: 'in' | 'notin'; values: string[] } | { key: string; operator: 'exists' | 'doesnotexist' };

export type LabelMatcher = (labels: Record<string, string> | undefined) => boolean;

/** Parses a selector string; throws with the offending part on a syntax error. */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(selector)) {
    const term = part.trim();
    if (term === '') continue;
    const set = /^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
    if (set) {
      const values = set[3]
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      requirements.push({ key: set[1], operator: set[2] as 'in' | 'notin', values });
      continue;
    }
    const equality = /^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(term);
    if (equality) {
      requirements.push({ key: equality[1], operator: equality[2] === '!=' ? 'notin' : 'in', values: [equality[3]] });
      continue;
    }
    const exists = /^(!?)\s*([^\s!=()]+)$/.exec(term);
    if (exists) {
      requirements.push({ key: exists[2], operator: exists[1] ? 'doesnotexist' : 'exists' });
      continue;
    }
    throw new Error(`invalid label selector "${selector}": cannot parse "${term}"`);
  }
  return requirements;
}

/** A matcher for a selector string or a metav1.LabelSelector-like `matchLabels` map. */
export function labelMatcher(selector: string | Record<string, string>): LabelMatcher {
  const requirements: LabelRequirement[] =
    typeof selector === 'string'
      ? parseLabelSelector(selector)
      : Object.entries(selector).map(([key, value]) => ({ key, operator: 'in', values: [value] }));
  return (labels) => requirements.every((r) => matches(r, labels ?? {}));
}

function matches(requirement: LabelRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  switch (requirement.operator) {
    case 'exists':
      return has;
    case 'doesnotexist':
      return !has;
    case 'in':
      return has && requirement.values.includes(labels[requirement.key]);
    case 'notin':
      return !has || !requirement.values.includes(labels[requirement.key]);
  }
}

/** Splits on commas outside parentheses. */
function splitTopLevel(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const c = selector[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts;
}
