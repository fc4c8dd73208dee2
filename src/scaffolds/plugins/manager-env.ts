/**
 * Sets an environment variable of the manager container in config/manager/manager.yaml, as
 * kubebuilder's deploy-image plugin adds `<KIND>_IMAGE` there: the YAML is edited as a document
 * (comments and layout kept), so an `env:` list the user already has gains the entry, and an
 * entry of the same name gets the new value.
 */
import { isMap, isSeq, parseDocument, type YAMLMap } from 'yaml';
import type { Tree } from '../../machinery/index.js';

export const MANAGER_FILE = 'config/manager/manager.yaml';
const CONTAINER = 'manager';

/** Stages the edit; returns a note instead when the file or its manager container is missing. */
export function setManagerEnv(tree: Tree, name: string, value: string): string | undefined {
  const text = tree.read(MANAGER_FILE);
  if (text === undefined)
    return `${MANAGER_FILE} is missing; set ${name}=${value} in the manager's environment yourself`;
  const documents = text.split(/^---$/m);
  for (const [index, source] of documents.entries()) {
    const document = parseDocument(source);
    if (document.get('kind') !== 'Deployment') continue;
    const containers = document.getIn(['spec', 'template', 'spec', 'containers']);
    const container = isSeq(containers)
      ? containers.items.find((item): item is YAMLMap => isMap(item) && item.get('name') === CONTAINER)
      : undefined;
    if (!container) break;
    const env = container.get('env');
    const entry = document.createNode({ name, value });
    if (!isSeq(env)) container.set('env', document.createNode([{ name, value }]));
    else {
      const existing = env.items.findIndex((item) => isMap(item) && item.get('name') === name);
      if (existing >= 0) env.items[existing] = entry;
      else env.items.push(entry);
    }
    const edited = document.toString({ indentSeq: false, lineWidth: 0 });
    documents[index] = source.startsWith('\n') ? `\n${edited}` : edited;
    tree.write(MANAGER_FILE, documents.join('---'), `env ${name}`);
    return undefined;
  }
  return `${MANAGER_FILE} has no Deployment with a "${CONTAINER}" container; set ${name}=${value} in its environment yourself`;
}
