import type { BaremetalNode, NodeFilter, NodeFilterSet, SiteModel } from './model.ts';

/**
 * Node filters, as Drydock's orchestrator applies them to tasks and boot
 * actions (process_node_filter): each filter of the set selects nodes from
 * the whole site by its criteria, joined by its `filter_type`; the filters'
 * results are then joined by the set's `filter_set_type`.
 *
 * Each list or map is one criterion that any of its entries satisfies, as in
 * Drydock's process_filter: a node matches `node_tags` with any one tag and
 * `node_labels` with any one label pair, whatever the filter's type; the
 * filter's type joins only the criteria. Drydock's task.rst example says an
 * intersection filter needs every label pair (nodes a, b, c -> a and c), but
 * its code has always ORed them (a, b and c), and its main caller relies on
 * that: Shipyard turns a deployment group's `node_labels` selector
 * (documented as `node_label in (...)`) into one intersection filter.
 *
 * Where this differs from Drydock, on purpose:
 * - rack_labels match the labels of the node's rack, pairs ORed like
 *   node_labels. Drydock logs "not yet implemented" and then leaves the
 *   criterion out of both joins.
 * - A join of nothing uses the identity of the join: a union filter with no
 *   criteria selects no node (as Drydock), an intersection filter with none
 *   selects every node (Drydock's "None" result, which it treats as
 *   "unconstrained" inside an intersection but loses on its own or crashes
 *   on inside a union). The same holds for an empty `filter_set`.
 * - Results keep site order instead of Python set order.
 */

export class NodeFilterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeFilterError';
  }
}

const JOINS = ['union', 'intersection'] as const;
type Join = (typeof JOINS)[number];
const FILTER_KEYS = new Set(['filter_type', 'node_names', 'node_tags', 'node_labels', 'rack_names', 'rack_labels']);
const SET_KEYS = new Set(['filter_set_type', 'filter_set']);

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

function join(value: unknown, where: string): Join {
  if (typeof value === 'string' && (JOINS as readonly string[]).includes(value)) return value as Join;
  const got = value === undefined ? 'nothing' : JSON.stringify(value);
  throw new NodeFilterError(`${where} must be 'union' or 'intersection', got ${got}`);
}

function unknownKeys(obj: Record<string, unknown>, allowed: Set<string>, where: string): void {
  const extra = Object.keys(obj).filter((k) => !allowed.has(k));
  if (extra.length > 0) throw new NodeFilterError(`${where} has unknown key(s): ${extra.join(', ')}`);
}

/** Drydock's nullable fields: absent and null both mean "no criterion". */
function stringList(value: unknown, where: string): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new NodeFilterError(`${where} must be a list of strings`);
}

/** Drydock's DictOfStringsField stringifies scalar values; so do we. */
function labelMap(value: unknown, where: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) throw new NodeFilterError(`${where} must be a mapping of label names to values`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
      throw new NodeFilterError(`${where}.${k} must be a string`);
    }
    out[k] = String(v);
  }
  return out;
}

function parseFilter(input: unknown, where: string): NodeFilter {
  if (!isObject(input)) throw new NodeFilterError(`${where} must be an object`);
  unknownKeys(input, FILTER_KEYS, where);
  const filter: NodeFilter = { filterType: join(input['filter_type'], `${where}.filter_type`) };
  const nodeNames = stringList(input['node_names'], `${where}.node_names`);
  const nodeTags = stringList(input['node_tags'], `${where}.node_tags`);
  const nodeLabels = labelMap(input['node_labels'], `${where}.node_labels`);
  const rackNames = stringList(input['rack_names'], `${where}.rack_names`);
  const rackLabels = labelMap(input['rack_labels'], `${where}.rack_labels`);
  if (nodeNames) filter.nodeNames = nodeNames;
  if (nodeTags) filter.nodeTags = nodeTags;
  if (nodeLabels) filter.nodeLabels = nodeLabels;
  if (rackNames) filter.rackNames = rackNames;
  if (rackLabels) filter.rackLabels = rackLabels;
  return filter;
}

/**
 * Validates a node filter as written in a task request or a BootAction
 * (snake_case keys). A missing `filter_set` is an empty one, as Drydock.
 */
export function parseNodeFilter(input: unknown): NodeFilterSet {
  if (!isObject(input)) {
    throw new NodeFilterError("node_filter must be an object with keys 'filter_set_type' and 'filter_set'");
  }
  unknownKeys(input, SET_KEYS, 'node_filter');
  const filterSetType = join(input['filter_set_type'], 'node_filter.filter_set_type');
  const raw = input['filter_set'] ?? [];
  if (!Array.isArray(raw)) throw new NodeFilterError('node_filter.filter_set must be a list of filters');
  return { filterSetType, filterSet: raw.map((f, i) => parseFilter(f, `node_filter.filter_set[${i}]`)) };
}

type Test = (node: BaremetalNode) => boolean;

const hasLabel = (labels: Record<string, string> | undefined, k: string, v: string) =>
  labels !== undefined && Object.hasOwn(labels, k) && labels[k] === v;

/** One test per criterion; empty lists and maps are no criterion (Drydock's falsy check). */
function criteria(site: SiteModel, f: NodeFilter): Test[] {
  const tests: Test[] = [];
  if (f.nodeNames?.length) {
    const names = new Set(f.nodeNames);
    tests.push((n) => names.has(n.name));
  }
  if (f.nodeTags?.length) {
    const tags = new Set(f.nodeTags);
    tests.push((n) => n.tags.some((t) => tags.has(t)));
  }
  if (f.rackNames?.length) {
    const racks = new Set(f.rackNames);
    tests.push((n) => n.rack !== null && racks.has(n.rack));
  }
  const nodeLabels = Object.entries(f.nodeLabels ?? {});
  if (nodeLabels.length > 0) {
    tests.push((n) => nodeLabels.some(([k, v]) => hasLabel(n.labels, k, v)));
  }
  const rackLabels = Object.entries(f.rackLabels ?? {});
  if (rackLabels.length > 0) {
    // Racks are few: decide each rack once, then it is one set lookup per node.
    const racks = new Set(
      [...site.racks.values()].filter((r) => rackLabels.some(([k, v]) => hasLabel(r.labels, k, v))).map((r) => r.name),
    );
    tests.push((n) => n.rack !== null && racks.has(n.rack));
  }
  return tests;
}

function joined(type: Join, tests: Test[]): Test {
  return type === 'union' ? (n) => tests.some((t) => t(n)) : (n) => tests.every((t) => t(n));
}

/**
 * Names of the nodes a filter set selects, in site order; null selects all.
 * Linear in nodes x criteria: each criterion is a set lookup per node.
 */
export function selectNodes(site: SiteModel, filterSet: NodeFilterSet | null): string[] {
  if (filterSet === null) return [...site.nodes.keys()];
  const perFilter = filterSet.filterSet.map((f) => joined(f.filterType, criteria(site, f)));
  const test = joined(filterSet.filterSetType, perFilter);
  const selected: string[] = [];
  for (const node of site.nodes.values()) if (test(node)) selected.push(node.name);
  return selected;
}
