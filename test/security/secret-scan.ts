/**
 * Looks for known secret values in collected text (logs, events, status, metrics) in every form
 * they could be written out: as they are, JSON-escaped (a PEM's line breaks become `\n` in a JSON
 * log line), base64 and base64url at any byte alignment (so a value inside a larger encoded blob
 * is found too), and — for multi-line values such as a PEM key — each body line on its own.
 */

export interface Finding {
  /** Where it was found ("operator log", "core/v1 Events", …). */
  source: string;
  /** Which secret (its name, never its value). */
  secret: string;
  form: string;
}

/** Shortest line of a multi-line value that is searched for on its own. */
const MIN_LINE = 24;

/**
 * The base64 text of `value` when it starts at byte offset 0, 1 or 2 of an encoded stream: only
 * the characters that depend on the value's bytes alone (none of the unknown neighbours).
 */
function base64AtEveryAlignment(value: Buffer): string[] {
  return [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), value]).toString('base64');
    return encoded.slice(Math.ceil((8 * offset) / 6), Math.floor((8 * (offset + value.length)) / 6));
  });
}

export function secretForms(value: string): { form: string; text: string }[] {
  const forms = [
    { form: 'raw', text: value },
    { form: 'JSON-escaped', text: JSON.stringify(value).slice(1, -1) },
  ];
  base64AtEveryAlignment(Buffer.from(value)).forEach((text, offset) => {
    forms.push({ form: `base64 (offset ${offset})`, text });
    forms.push({ form: `base64url (offset ${offset})`, text: text.replaceAll('+', '-').replaceAll('/', '_') });
  });
  value
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length >= MIN_LINE && line !== value && !line.startsWith('-----'))
    .forEach((line, index) => forms.push({ form: `line ${index + 1}`, text: line }));
  return forms.filter(
    ({ text }, index) => text.length > 0 && forms.findIndex((other) => other.text === text) === index,
  );
}

/** Every form of every secret found in every source; an empty list means none leaked. */
export function scanForSecrets(sources: Record<string, string>, secrets: Record<string, string>): Finding[] {
  const findings: Finding[] = [];
  for (const [secret, value] of Object.entries(secrets)) {
    if (value.length < 12) throw new Error(`secret "${secret}" is too short to search for without false positives`);
    const forms = secretForms(value);
    for (const [source, text] of Object.entries(sources))
      for (const { form, text: needle } of forms) if (text.includes(needle)) findings.push({ source, secret, form });
  }
  return findings;
}
