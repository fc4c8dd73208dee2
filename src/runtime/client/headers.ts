/**
 * Request and response headers with client-go semantics: impersonation (`Impersonate-User`,
 * `-Group`, `-Uid`, `-Extra-<key>`) and apiserver warnings (`Warning: 299 - "text"`), logged once
 * per distinct text as controller-runtime's deduplicating warning handler does.
 */
import type { RestConfig } from '../types.js';

export function impersonationHeaders(as: RestConfig['impersonate']): Record<string, string | string[]> {
  if (!as) return {};
  const headers: Record<string, string | string[]> = {};
  if (as.userName) headers['Impersonate-User'] = as.userName;
  if (as.uid) headers['Impersonate-Uid'] = as.uid;
  if (as.groups?.length) headers['Impersonate-Group'] = as.groups;
  for (const [key, values] of Object.entries(as.extra ?? {}))
    headers[`Impersonate-Extra-${encodeURIComponent(key)}`] = values;
  return headers;
}

/** The texts of `299` warnings in `Warning` header values (RFC 7234: code agent "text" ["date"]). */
function parseWarnings(values: string | string[] | undefined): string[] {
  const texts: string[] = [];
  for (const value of [values ?? []].flat()) {
    const pattern = /(\d{3})\s+\S+\s+"((?:[^"\\]|\\.)*)"(?:\s+"(?:[^"\\]|\\.)*")?\s*(?:,\s*|$)/g;
    for (const match of value.matchAll(pattern)) {
      if (match[1] === '299') texts.push(match[2].replace(/\\(.)/g, '$1'));
    }
  }
  return texts;
}

export class WarningLog {
  private readonly seen = new Set<string>();

  constructor(private readonly logger?: { warn(message: string): void }) {}

  record(values: string | string[] | undefined): void {
    if (values === undefined) return;
    for (const text of parseWarnings(values)) {
      if (this.seen.has(text)) continue;
      this.seen.add(text);
      if (this.logger) this.logger.warn(`apiserver warning: ${text}`);
      else process.stderr.write(`Warning: ${text}\n`);
    }
  }
}
