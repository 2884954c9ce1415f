/**
 * The node filter a command sends: --node-filter as JSON, or Drydock CLI's
 * -n/-r/-t lists (comma separated) as its one union filter in an
 * intersection set; none when neither is given.
 */
import { usageError } from '../errors.ts';

export interface FilterOptions {
  nodeFilter?: string;
  nodeNames?: string;
  rackNames?: string;
  nodeTags?: string;
}

const names = (value?: string) => (value ? value.split(',').map((x) => x.trim()).filter(Boolean) : []);

export function nodeFilterOf(o: FilterOptions): unknown {
  const lists = { node_names: names(o.nodeNames), rack_names: names(o.rackNames), node_tags: names(o.nodeTags) };
  const given = Object.entries(lists).filter(([, v]) => v.length > 0);
  if (o.nodeFilter !== undefined) {
    if (given.length > 0) throw usageError('--node-filter cannot be combined with -n, -r or -t');
    try {
      return JSON.parse(o.nodeFilter);
    } catch {
      throw usageError('--node-filter must be JSON, e.g. {"filter_set_type":"union","filter_set":[{"filter_type":"union","node_names":["n1"]}]}');
    }
  }
  if (given.length === 0) return undefined;
  return { filter_set_type: 'intersection', filter_set: [{ filter_type: 'union', ...Object.fromEntries(given) }] };
}
