import type { DesignDocument } from '../../../src/design/document.ts';
import type { DesignKind } from '../../../src/design/model.ts';
import { compileSite } from '../../../src/design/compile/index.ts';

/**
 * Hand-built DesignDocuments (what the parser hands the compiler), so the
 * compiler's tests do not depend on YAML parsing.
 */
export function designDoc(
  kind: DesignKind,
  name: string,
  data: Record<string, unknown> = {},
  labels: Record<string, string> = {},
): DesignDocument {
  return { kind, name, schema: `drydock/${kind}/v1`, labels, data, index: 0, line: null };
}

export const hostProfile = (name: string, data: Record<string, unknown> = {}) => designDoc('HostProfile', name, data);
export const hardwareProfile = (name: string, data: Record<string, unknown> = {}) =>
  designDoc('HardwareProfile', name, data);
export const network = (name: string, data: Record<string, unknown> = {}, labels: Record<string, string> = {}) =>
  designDoc('Network', name, { cidr: '10.0.0.0/24', ...data }, labels);
export const bootAction = (name: string, data: Record<string, unknown> = {}) =>
  designDoc('BootAction', name, { assets: [], ...data });

/** A node with a hardware profile and one address, so it compiles clean by default. */
export const node = (name: string, data: Record<string, unknown> = {}) =>
  designDoc('BaremetalNode', name, {
    hardware_profile: 'hw',
    addressing: [{ network: 'pxe', address: 'dhcp' }],
    ...data,
  });

/** Documents in order, each with its stream index. */
export function compile(...documents: DesignDocument[]) {
  return compileSite(documents.map((d, index) => ({ ...d, index })));
}

/** Compiles with a hardware profile `hw` present, and insists on no messages. */
export function compileClean(...documents: DesignDocument[]) {
  const result = compile(hardwareProfile('hw'), ...documents);
  if (result.messages.length > 0) throw new Error(JSON.stringify(result.messages, null, 2));
  return result.site;
}

export function nodeOf(site: ReturnType<typeof compileClean>, name: string) {
  const n = site.nodes.get(name);
  if (n === undefined) throw new Error(`no node ${name}`);
  return n;
}
