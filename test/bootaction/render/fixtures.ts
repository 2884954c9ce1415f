import type { BootAction, BootActionAsset, HostInterface } from '../../../src/design/model.ts';
import type { RenderAction, RenderRequest } from '../../../src/bootaction/render/index.ts';
import { makeAsset, makeBootAction, makeNetwork, makeNode, siteOf } from '../../helpers/site-model.ts';

export const ACTION_ID = '01J9ZQ4M8KX3V7T2B5N6R0C1DE';
export const ACTION_KEY = '5f2c8e0a9b7d4c3e1f6a8b2d0c4e6f8a1b3d5f7e9c0a2b4d6f8e0c1a3b5d7f9e';
export const DESIGN_REF = 'deckhand+http://deckhand-int.ucp:9000/api/v1.0/revisions/4/rendered-documents';
export const REPORT_URL = 'http://drydock.example:9000/api/v1.0/bootactions/';

export const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
export const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

export const asset: (over?: Partial<BootActionAsset>) => BootActionAsset = makeAsset;

export function iface(deviceName: string, over: Partial<HostInterface> = {}): HostInterface {
  return { deviceName, networkLink: null, hardwareSlaves: [], networks: [], sriov: false, vfCount: null, trustedMode: null, ...over };
}

/** compute01 with addresses on mgmt (primary) and storage, a dhcp address on pxe, and an SR-IOV bond. */
export function labSite(actions: BootAction[] = []) {
  const node = makeNode('compute01', {
    primaryNetwork: 'mgmt',
    domain: 'mgmt.sitename.example.com',
    tags: ['compute', 'gpu'],
    ownerData: { rack: 'rack1', role: 'worker' },
    labels: { rack: 'rack1', role: 'worker' },
    addressing: [
      { network: 'pxe', type: 'dhcp', address: null },
      { network: 'mgmt', type: 'static', address: '172.16.1.21' },
      { network: 'storage', type: 'static', address: '172.16.2.21' },
    ],
    interfaces: [iface('bond0', { sriov: true, vfCount: 2, trustedMode: false }), iface('eno1'), iface('pxe')],
  });
  const site = siteOf({
    nodes: [node],
    networks: [
      makeNetwork('pxe', { cidr: '172.16.0.0/24' }),
      makeNetwork('mgmt', { cidr: '172.16.1.0/24', dnsDomain: 'mgmt.sitename.example.com' }),
      makeNetwork('storage', { cidr: '172.16.2.0/24' }),
    ],
    bootActions: actions.map((a) => ({ ...a, targetNodes: a.targetNodes.length > 0 ? a.targetNodes : ['compute01'] })),
  });
  return { site, node };
}

export function renderAction(action: BootAction, over: Partial<RenderAction> = {}): RenderAction {
  return { action, actionId: ACTION_ID, actionKey: ACTION_KEY, ...over };
}

/** A request for compute01's `assetType` assets of the given boot actions. */
export function requestFor(actions: BootAction[], over: Partial<RenderRequest> = {}): RenderRequest {
  const { site, node } = labSite(actions);
  return {
    site,
    node,
    designRef: DESIGN_REF,
    reportUrl: REPORT_URL,
    actions: actions.map((a) => renderAction(a)),
    assetType: 'file',
    fetch,
    timeoutMs: 5_000,
    maxBytes: 1_048_576,
    retries: 0,
    ...over,
  };
}

export function actionWith(name: string, ...assets: BootActionAsset[]): BootAction {
  return makeBootAction(name, { assets });
}
