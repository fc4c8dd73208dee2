/**
 * English plurals for resource names, as a small rule table rather than a dependency: the
 * well-known npm library (`pluralize`) has not been released since 2019 and needs separate types,
 * and a resource name only ever needs one lower-case word pluralised. The table follows what
 * kubebuilder's inflector (gobuffalo/flect) does for the kinds people actually write
 * (Policy → policies, Ingress → ingresses, Proxy → proxies, Status → statuses, Person → people).
 */

/** Words whose plural is the same word. */
const UNCOUNTABLE = new Set([
  'data',
  'metadata',
  'equipment',
  'information',
  'money',
  'news',
  'series',
  'species',
  'sheep',
  'fish',
  'deer',
  'moose',
  'rice',
  'software',
  'hardware',
  'firmware',
  'middleware',
  'traffic',
  'feedback',
  'config',
  'info',
  'endpoints',
  'chassis',
]);

/** Irregular plurals, matched on the whole last word. */
const IRREGULAR: Record<string, string> = {
  person: 'people',
  man: 'men',
  woman: 'women',
  child: 'children',
  mouse: 'mice',
  goose: 'geese',
  foot: 'feet',
  tooth: 'teeth',
  ox: 'oxen',
  index: 'indices',
  matrix: 'matrices',
  vertex: 'vertices',
  criterion: 'criteria',
  datum: 'data',
  quiz: 'quizzes',
  leaf: 'leaves',
  half: 'halves',
  knife: 'knives',
  life: 'lives',
  wife: 'wives',
  wolf: 'wolves',
  shelf: 'shelves',
  self: 'selves',
  thief: 'thieves',
  hero: 'heroes',
  potato: 'potatoes',
  tomato: 'tomatoes',
  echo: 'echoes',
  veto: 'vetoes',
};

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u']);

/** Plural of one lower-case English word. */
export function pluralOfWord(word: string): string {
  if (word.length === 0) return word;
  if (UNCOUNTABLE.has(word)) return word;
  const irregular = IRREGULAR[word];
  if (irregular) return irregular;
  if (word.endsWith('sis')) return word.slice(0, -3) + 'ses';
  if (/(s|x|z|ch|sh)$/.test(word)) return word + 'es';
  if (word.endsWith('y') && word.length > 1 && !VOWELS.has(word[word.length - 2])) {
    return word.slice(0, -1) + 'ies';
  }
  return word + 's';
}
