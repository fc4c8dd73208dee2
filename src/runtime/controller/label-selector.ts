/**
 * Label selectors as the apiserver understands them: the string form
 * (`app=web,tier in (a,b),!legacy`) and metav1.LabelSelector (matchLabels + matchExpressions).
 */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

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
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const SET = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/;
const EQUALITY = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/;
const EXISTS = /^(!?)([\w./-]+)$/;

/** Parses the string form; throws naming the requirement it cannot read. */
export function parseLabelSelector(selector: string): LabelSelector {
  const result: Required<LabelSelector> = { matchLabels: {}, matchExpressions: [] };
  for (const part of splitTopLevel(selector)) {
    let m: RegExpMatchArray | null;
    if ((m = part.match(SET))) {
      const values = m[3]
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');
      result.matchExpressions.push({ key: m[1], operator: m[2] === 'in' ? 'In' : 'NotIn', values });
    } else if ((m = part.match(EQUALITY))) {
      if (m[2] === '!=') result.matchExpressions.push({ key: m[1], operator: 'NotIn', values: [m[3]] });
      else result.matchLabels[m[1]] = m[3];
    } else if ((m = part.match(EXISTS))) {
      result.matchExpressions.push({ key: m[2], operator: m[1] ? 'DoesNotExist' : 'Exists' });
    } else {
      throw new Error(`invalid label selector requirement "${part}" in "${selector}"`);
    }
  }
  return result;
}

/** Whether `labels` satisfy every requirement of `selector` (an empty selector matches everything). */
export function matchesLabelSelector(selector: LabelSelector, labels: Record<string, string> = {}): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[key] !== value) return false;
  }
  return (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case 'In':
        return has && values.includes(labels[key]);
      case 'NotIn':
        return !has || !values.includes(labels[key]);
      case 'Exists':
        return has;
      case 'DoesNotExist':
        return !has;
    }
  });
}
