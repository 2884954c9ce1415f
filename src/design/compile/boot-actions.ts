import type { DesignDocument } from '../document.ts';
import { NodeFilterError, parseNodeFilter, selectNodes } from '../filters.ts';
import type { BootAction, BootActionAsset, NodeFilterSet, SiteModel, ValidationMessage } from '../model.ts';
import { compileError, docRef } from './messages.ts';
import { body, bool, isBody, list, str, strList } from './values.ts';

const ASSET_TYPES = new Set(['unit', 'file', 'pkg_list']);

/**
 * `permissions` is an octal string read as Python's int(x, 8) (`'644'`,
 * `'0644'`, `'0o644'`); a number is taken as already converted, as Drydock does.
 */
function permissions(value: unknown): number | null {
  if (typeof value === 'number') return Number.isInteger(value) ? value : null;
  if (typeof value !== 'string') return null;
  const digits = value.trim().replace(/^0[oO]_?/, '').replaceAll('_', '');
  return /^[0-7]+$/.test(digits) ? Number.parseInt(digits, 8) : null;
}

/** A pkg_list asset whose `data` is a mapping lists its packages there (name -> version or null). */
function asset(raw: unknown): BootActionAsset {
  const a = body(raw);
  const type = str(a.type);
  let packageList: Record<string, string | null> | null = null;
  let data = str(a.data);
  if (type === 'pkg_list' && isBody(a.data)) {
    packageList = {};
    for (const [name, version] of Object.entries(a.data)) packageList[name] = str(version);
    data = null;
  }
  return {
    type: type !== null && ASSET_TYPES.has(type) ? (type as BootActionAsset['type']) : null,
    path: str(a.path),
    permissions: permissions(a.permissions),
    location: str(a.location),
    locationPipeline: strList(a.location_pipeline),
    data,
    dataPipeline: strList(a.data_pipeline),
    packageList,
  };
}

/**
 * The node filter as the task API reads it (design/filters). One that does
 * not parse is a DD002 error and selects no node: a broken filter must not
 * widen to "every node", which is what no filter means.
 */
function nodeFilterSet(doc: DesignDocument, messages: ValidationMessage[]): NodeFilterSet | null {
  const raw = doc.data.node_filter;
  if (raw === undefined || raw === null) return null;
  try {
    return parseNodeFilter(raw);
  } catch (err) {
    if (!(err instanceof NodeFilterError)) throw err;
    messages.push(compileError(`BootAction ${doc.name} has an invalid node_filter: ${err.message}.`, [docRef(doc)]));
    return { filterSetType: 'union', filterSet: [] };
  }
}

/** Drydock's process_drydock_bootaction; `signaling` defaults to true. Targets come later (needs nodes). */
export function compileBootAction(doc: DesignDocument, messages: ValidationMessage[]): BootAction {
  const d = doc.data;
  return {
    name: doc.name,
    doc: docRef(doc),
    signaling: bool(d.signaling) ?? true,
    assets: list(d.assets).map(asset),
    nodeFilter: nodeFilterSet(doc, messages),
    targetNodes: [],
  };
}

/** Drydock's compute_bootaction_targets: no filter targets every node. */
export function computeBootActionTargets(site: SiteModel): void {
  const all = [...site.nodes.keys()];
  for (const ba of site.bootActions.values()) {
    ba.targetNodes = ba.nodeFilter === null ? [...all] : selectNodes(site, ba.nodeFilter);
  }
}

