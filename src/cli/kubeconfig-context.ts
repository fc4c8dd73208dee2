/**
 * Which kubeconfig context a command talks to, and its namespace, read as kubectl merges
 * kubeconfig files: `--kubeconfig`, else every file of `$KUBECONFIG`, else `~/.kube/config`; the
 * first file that sets current-context wins, and so does the first definition of each context.
 * (The runtime's `loadRestConfig` makes the connection; it does not expose these names.)
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse as parseYaml } from 'yaml';

interface KubeconfigDocument {
  'current-context'?: string;
  contexts?: { name?: string; context?: { namespace?: string } }[];
}

export interface KubeconfigContext {
  files: string[];
  /** `context` when given, else the current-context. */
  context?: string;
  /** The context's namespace, when it sets one. */
  namespace?: string;
}

export function kubeconfigContext(kubeconfig: string | undefined, context?: string): KubeconfigContext {
  const files = kubeconfig
    ? [kubeconfig]
    : process.env.KUBECONFIG
      ? process.env.KUBECONFIG.split(delimiter).filter(Boolean)
      : [join(homedir(), '.kube', 'config')];
  let current = context;
  const namespaces = new Map<string, string | undefined>();
  for (const file of files) {
    let doc: KubeconfigDocument | null;
    try {
      doc = parseYaml(readFileSync(file, 'utf8')) as KubeconfigDocument | null;
    } catch {
      continue; // A missing or unreadable file: loading the rest config says which and why.
    }
    current ??= doc?.['current-context'] || undefined;
    for (const entry of doc?.contexts ?? [])
      if (entry.name && !namespaces.has(entry.name)) namespaces.set(entry.name, entry.context?.namespace || undefined);
  }
  return { files, context: current, namespace: current ? namespaces.get(current) : undefined };
}
