import type { BaremetalNode } from '../../design/model.ts';

export type Labels = Record<string, string>;
/** A JSON merge patch of labels (RFC 7386): a value sets, null removes. */
export type LabelPatch = Record<string, string | null>;

/**
 * A node's labels as Drydock computes them (objects/node.py
 * get_node_labels): its owner_data, merged over the host profile chain.
 */
export function desiredLabels(node: BaremetalNode): Labels {
  return { ...node.ownerData };
}

/**
 * Labels Kubernetes and its components own (kubernetes.io/hostname,
 * node.kubernetes.io/instance-type, node-role.kubernetes.io/...): never
 * removed, as Promenade's kubeclient._get_update_labels spares them.
 */
export const isKubernetesLabel = (key: string): boolean => key.includes('kubernetes.io');

/**
 * The change from `current` to `desired`, Promenade's way: labels the design
 * adds or changes are set; every other label of the node is removed unless
 * its key contains `kubernetes.io`. So the design owns all other labels of
 * its nodes (a label another tool sets is removed at the next relabel). Null
 * when nothing changes.
 */
export function labelPatch(current: Labels, desired: Labels): LabelPatch | null {
  const patch: LabelPatch = {};
  for (const [key, value] of Object.entries(desired)) if (current[key] !== value) patch[key] = value;
  for (const key of Object.keys(current)) if (!(key in desired) && !isKubernetesLabel(key)) patch[key] = null;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** "set a=1, b=2; removed c" for task messages (label values are not secrets). */
export function describePatch(patch: LabelPatch): string {
  const set = Object.entries(patch).filter(([, v]) => v !== null).map(([k, v]) => `${k}=${v}`);
  const removed = Object.entries(patch).filter(([, v]) => v === null).map(([k]) => k);
  return [set.length ? `set ${set.join(', ')}` : '', removed.length ? `removed ${removed.join(', ')}` : ''].filter(Boolean).join('; ');
}
