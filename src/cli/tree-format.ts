/**
 * How `kubeforge tree` prints: kubectl-tree's columns (NAMESPACE, NAME drawn as a tree, READY,
 * STATUS, AGE) padded as kubectl pads tables, AGE as kubectl's human durations.
 */
import type { KubeObject } from '../runtime/index.js';
import type { TreeNode } from './owner-tree.js';

interface Condition {
  type?: string;
  status?: string;
  reason?: string;
}

interface StatusFields {
  conditions?: Condition[];
  phase?: string;
  replicas?: number;
  readyReplicas?: number;
}

/**
 * READY and STATUS of an object: its `Ready` condition (else `Available`) — status and reason;
 * without one, ready/desired replicas of a workload, and `status.phase` (Pods, Namespaces, …).
 */
export function readiness(object: KubeObject): { ready: string; status: string } {
  const status = ((object as { status?: StatusFields }).status ?? {}) as StatusFields;
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  const condition = conditions.find((c) => c.type === 'Ready') ?? conditions.find((c) => c.type === 'Available');
  const replicas = (object as { spec?: { replicas?: number } }).spec?.replicas ?? status.replicas;
  const ready = condition?.status
    ? condition.status
    : typeof replicas === 'number'
      ? `${status.readyReplicas ?? 0}/${replicas}`
      : '-';
  return { ready, status: condition?.reason ?? status.phase ?? '' };
}

/** kubectl's HumanDuration: 45s, 3m20s, 95m, 5h12m, 30h, 3d4h, 42d, 2y30d, 9y. */
export function humanDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  const hours = Math.floor(minutes / 60);
  const days = Math.floor(hours / 24);
  const years = Math.floor(days / 365);
  if (seconds < 120) return `${seconds}s`;
  if (minutes < 10) return seconds % 60 === 0 ? `${minutes}m` : `${minutes}m${seconds % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 192) return hours % 24 === 0 ? `${days}d` : `${days}d${hours % 24}h`;
  if (days < 730) return `${days}d`;
  if (years < 8) return days % 365 === 0 ? `${years}y` : `${years}y${days % 365}d`;
  return `${years}y`;
}

/** The tree as text: one row per object, the NAME column drawn with ├─ └─ │ as kubectl-tree does. */
export function formatOwnerTree(root: TreeNode, now: Date): string {
  const rows: string[][] = [['NAMESPACE', 'NAME', 'READY', 'STATUS', 'AGE']];
  const visit = (node: TreeNode, prefix: string, branch: string) => {
    const meta = node.object.metadata ?? {};
    const { ready, status } = readiness(node.object);
    const created = meta.creationTimestamp ? Date.parse(String(meta.creationTimestamp)) : NaN;
    rows.push([
      meta.namespace ?? '',
      `${prefix}${branch}${node.object.kind}/${meta.name}`,
      ready,
      status,
      Number.isNaN(created) ? '<unknown>' : humanDuration(now.getTime() - created),
    ]);
    const childPrefix = prefix + (branch === '├─' ? '│ ' : branch === '└─' ? '  ' : '');
    node.children.forEach((child, index) =>
      visit(child, childPrefix, index === node.children.length - 1 ? '└─' : '├─'),
    );
  };
  visit(root, '', '');
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => [...row[column]].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell + ' '.repeat(widths[column] - [...cell].length + 2),
        )
        .join('')
        .trimEnd(),
    )
    .join('\n');
}
