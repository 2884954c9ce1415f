import type { DesignDocument } from '../document.ts';
import type { DesignKind, SiteModel, ValidationMessage } from '../model.ts';
import { compileBootAction, computeBootActionTargets } from './boot-actions.ts';
import { compileHardwareProfile } from './hardware-profile.ts';
import { compileError, docRef } from './messages.ts';
import { compileNetwork, compileNetworkLink } from './network.ts';
import { compileNode } from './nodes.ts';
import { ProfileResolver } from './profiles.ts';
import { compileRack } from './rack.ts';
import { compileRegion } from './region.ts';
import { renderRouteDomains } from './routes.ts';

type ByKind = Record<DesignKind, Map<string, DesignDocument>>;

/**
 * Documents by kind and name, in document order. Deckhand refuses two
 * documents with one schema and name, and Drydock's lookups take the first,
 * so the first is kept and each later one is a DD002 error (the parser
 * already drops such duplicates; this guards hand-built input). A second
 * Region is an error too: Drydock silently let the last one win.
 */
function group(documents: readonly DesignDocument[], messages: ValidationMessage[]): ByKind {
  const byKind: ByKind = {
    Region: new Map(),
    Rack: new Map(),
    NetworkLink: new Map(),
    Network: new Map(),
    HardwareProfile: new Map(),
    HostProfile: new Map(),
    BaremetalNode: new Map(),
    BootAction: new Map(),
  };
  for (const doc of documents) {
    const docs = byKind[doc.kind];
    if (docs === undefined) continue;
    const first = doc.kind === 'Region' ? docs.values().next().value : docs.get(doc.name);
    if (first !== undefined) {
      const what = doc.kind === 'Region' ? 'A design has one Region' : `Duplicate ${doc.kind} ${doc.name}`;
      const text = `${what}; ${doc.name} (document ${doc.index + 1}) is ignored.`;
      messages.push(compileError(text, [docRef(first), docRef(doc)]));
      continue;
    }
    docs.set(doc.name, doc);
  }
  return byKind;
}

function mapAll<T>(docs: Map<string, DesignDocument>, compile: (doc: DesignDocument) => T): Map<string, T> {
  const out = new Map<string, T>();
  for (const [name, doc] of docs) out.set(name, compile(doc));
  return out;
}

/**
 * The effective site, as Drydock's orchestrator computes it before acting
 * (get_effective_site): every kind mapped, host profile chains and nodes
 * inherited, route domains rendered, boot action targets selected. Problems
 * that make a reference unresolvable are DD002 errors; whatever cannot be
 * resolved is skipped and the rest of the site is still returned.
 */
export function compileSite(documents: readonly DesignDocument[]): { site: SiteModel; messages: ValidationMessage[] } {
  const messages: ValidationMessage[] = [];
  const docs = group(documents, messages);
  const regionDoc = docs.Region.values().next().value;

  const networks = mapAll(docs.Network, compileNetwork);
  const hardwareProfiles = mapAll(docs.HardwareProfile, compileHardwareProfile);
  const profiles = new ProfileResolver(docs.HostProfile, messages);
  const hostProfiles = profiles.compileAll();
  const ctx = { profiles, hardwareProfiles, networks, messages };

  const site: SiteModel = {
    region: regionDoc === undefined ? null : compileRegion(regionDoc),
    racks: mapAll(docs.Rack, compileRack),
    networks,
    networkLinks: mapAll(docs.NetworkLink, compileNetworkLink),
    hardwareProfiles,
    hostProfiles,
    nodes: mapAll(docs.BaremetalNode, (doc) => compileNode(doc, ctx)),
    bootActions: mapAll(docs.BootAction, (doc) => compileBootAction(doc, messages)),
  };
  renderRouteDomains(site.networks);
  computeBootActionTargets(site);
  return { site, messages };
}
