/**
 * The Unicode classes RE2 knows by name (`\p{Greek}`, `\pL`, `\p{Letter}`): the names Go's regexp
 * accepts — Go 1.26, the Go kube-apiserver 1.37 is built with — after Go's canonicalisation (first
 * letter upper-case, the rest lower-case, `_`, `-` and spaces dropped), each with the JavaScript
 * Unicode property it stands for. Go looks scripts up by their canonical form only, so scripts with
 * multi-word names (`Old_Italic`) are unknown to it and are not listed.
 */

/** General categories by code, with the canonical forms of their long names. */
const CATEGORIES: Record<string, string> = {
  C: 'Other',
  Cc: 'Control Cntrl',
  Cf: 'Format',
  Cn: 'Unassigned',
  Co: 'Privateuse',
  Cs: 'Surrogate',
  L: 'Letter',
  LC: 'Casedletter',
  Ll: 'Lowercaseletter',
  Lm: 'Modifierletter',
  Lo: 'Otherletter',
  Lt: 'Titlecaseletter',
  Lu: 'Uppercaseletter',
  M: 'Combiningmark Mark',
  Mc: 'Spacingmark',
  Me: 'Enclosingmark',
  Mn: 'Nonspacingmark',
  N: 'Number',
  Nd: 'Decimalnumber Digit',
  Nl: 'Letternumber',
  No: 'Othernumber',
  P: 'Punctuation Punct',
  Pc: 'Connectorpunctuation',
  Pd: 'Dashpunctuation',
  Pe: 'Closepunctuation',
  Pf: 'Finalpunctuation',
  Pi: 'Initialpunctuation',
  Po: 'Otherpunctuation',
  Ps: 'Openpunctuation',
  S: 'Symbol',
  Sc: 'Currencysymbol',
  Sk: 'Modifiersymbol',
  Sm: 'Mathsymbol',
  So: 'Othersymbol',
  Z: 'Separator',
  Zl: 'Lineseparator',
  Zp: 'Paragraphseparator',
  Zs: 'Spaceseparator',
};

/** Scripts: `\p{Greek}` is the script property `Script=Greek`. */
const SCRIPTS = [
  'Adlam Ahom Arabic Armenian Avestan Balinese Bamum Batak Bengali Bhaiksuki Bopomofo Brahmi Braille',
  'Buginese Buhid Carian Chakma Cham Cherokee Chorasmian Common Coptic Cuneiform Cypriot Cyrillic',
  'Deseret Devanagari Dogra Duployan Elbasan Elymaic Ethiopic Georgian Glagolitic Gothic Grantha Greek',
  'Gujarati Gurmukhi Han Hangul Hanunoo Hatran Hebrew Hiragana Inherited Javanese Kaithi Kannada',
  'Katakana Kawi Kharoshthi Khmer Khojki Khudawadi Lao Latin Lepcha Limbu Lisu Lycian Lydian Mahajani',
  'Makasar Malayalam Mandaic Manichaean Marchen Medefaidrin Miao Modi Mongolian Mro Multani Myanmar',
  'Nabataean Nandinagari Newa Nko Nushu Ogham Oriya Osage Osmanya Palmyrene Phoenician Rejang Runic',
  'Samaritan Saurashtra Sharada Shavian Siddham Sinhala Sogdian Soyombo Sundanese Syriac Tagalog',
  'Tagbanwa Takri Tamil Tangsa Tangut Telugu Thaana Thai Tibetan Tifinagh Tirhuta Toto Ugaritic Vai',
  'Vithkuqi Wancho Yezidi Yi',
].join(' ');

/** Go's canonical form of a class name: `greek`, `GREEK` and `Gr_eek` all read `Greek`. */
function canonicalName(name: string): string {
  const letters = [...name].filter((c) => c !== '_' && c !== '-' && c !== ' ');
  return letters.map((c, i) => (i === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
}

const PROPERTIES = new Map<string, string>([
  ['Any', 'Any'],
  ['Assigned', 'Assigned'],
  ['Ascii', 'ASCII'],
  ...SCRIPTS.split(' ').map((script): [string, string] => [script, `Script=${script}`]),
  ...Object.entries(CATEGORIES).flatMap(([code, names]): [string, string][] =>
    [canonicalName(code), ...names.split(' ')].map((name) => [name, `General_Category=${code}`]),
  ),
]);

/** The JavaScript Unicode property (for `\p{…}` with the `u` flag) RE2's class `name` means, if RE2 knows it. */
export function unicodeProperty(name: string): string | undefined {
  return PROPERTIES.get(canonicalName(name));
}
