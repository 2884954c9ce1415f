import { describe, expect, it } from 'vitest';
import { actionContext, nodeContext, templateContext } from '../../../src/bootaction/render/index.ts';
import { makeNetwork, makeNode, siteOf } from '../../helpers/site-model.ts';
import { ACTION_ID, ACTION_KEY, DESIGN_REF, iface, labSite, REPORT_URL } from './fixtures.ts';

describe('the template context (Drydock _get_template_context)', () => {
  const { site, node } = labSite();
  const ctx = templateContext({ site, node, actionId: ACTION_ID, actionKey: ACTION_KEY, reportUrl: REPORT_URL, designRef: DESIGN_REF });

  it('names the node, its domain, tags and labels (owner_data)', () => {
    expect(ctx.node.hostname).toBe('compute01');
    expect(ctx.node.domain).toBe('mgmt.sitename.example.com');
    expect(ctx.node.tags).toEqual(['compute', 'gpu']);
    expect(ctx.node.labels).toEqual({ rack: 'rack1', role: 'worker' });
  });

  it('has ip, cidr and dns_suffix for each statically addressed network, and default for the primary one', () => {
    expect(ctx.node.network).toEqual({
      mgmt: { ip: '172.16.1.21', cidr: '172.16.1.0/24', dns_suffix: 'mgmt.sitename.example.com' },
      default: { ip: '172.16.1.21', cidr: '172.16.1.0/24', dns_suffix: 'mgmt.sitename.example.com' },
      storage: { ip: '172.16.2.21', cidr: '172.16.2.0/24', dns_suffix: null },
    });
    // Same key order as Drydock's dict: default right after the primary network.
    expect(Object.keys(ctx.node.network)).toEqual(['mgmt', 'default', 'storage']);
  });

  it('leaves out networks addressed by dhcp (no address to give)', () => {
    expect(ctx.node.network.pxe).toBeUndefined();
  });

  it('gives sriov for every interface, and vf_count and trustedmode for SR-IOV ones only', () => {
    expect(ctx.node.interfaces).toEqual({
      bond0: { sriov: true, vf_count: 2, trustedmode: false },
      eno1: { sriov: false },
      pxe: { sriov: false },
    });
  });

  it('has the action id, key, report URL and design ref', () => {
    expect(ctx.action).toEqual({ action_id: ACTION_ID, action_key: ACTION_KEY, report_url: REPORT_URL, design_ref: DESIGN_REF });
    expect(actionContext({ actionId: 'a', actionKey: 'b', reportUrl: 'c', designRef: 'd' })).toEqual({
      action_id: 'a',
      action_key: 'b',
      report_url: 'c',
      design_ref: 'd',
    });
  });
});

describe('node context edge cases', () => {
  it("uses domain 'local' when the primary network has no DNS domain, as Drydock's get_domain", () => {
    const node = makeNode('n1', { primaryNetwork: 'mgmt', domain: null });
    expect(nodeContext(siteOf({ nodes: [node], networks: [makeNetwork('mgmt')] }), node).domain).toBe('local');
    expect(nodeContext(siteOf({ nodes: [node] }), { ...node, domain: '' }).domain).toBe('local');
  });

  it('has no default network when the primary network has no static address', () => {
    const node = makeNode('n1', {
      primaryNetwork: 'pxe',
      addressing: [
        { network: 'pxe', type: 'dhcp', address: null },
        { network: 'mgmt', type: 'static', address: '10.0.0.9' },
      ],
    });
    const ctx = nodeContext(siteOf({ nodes: [node], networks: [makeNetwork('pxe'), makeNetwork('mgmt')] }), node);
    expect(Object.keys(ctx.network)).toEqual(['mgmt']);
  });

  it('keeps an address on an undefined network, without cidr or suffix (Drydock failed the render)', () => {
    const node = makeNode('n1', { addressing: [{ network: 'ghost', type: 'static', address: '10.9.9.9' }] });
    expect(nodeContext(siteOf({ nodes: [node] }), node).network).toEqual({ ghost: { ip: '10.9.9.9', cidr: null, dns_suffix: null } });
  });

  it('defaults vf_count to 0 and trustedmode to false for an SR-IOV interface', () => {
    const node = makeNode('n1', { interfaces: [iface('ens3', { sriov: true })] });
    expect(nodeContext(siteOf({ nodes: [node] }), node).interfaces).toEqual({ ens3: { sriov: true, vf_count: 0, trustedmode: false } });
  });

  it('keeps a network or device named __proto__ as a plain key', () => {
    const node = makeNode('n1', {
      addressing: [{ network: '__proto__', type: 'static', address: '10.0.0.1' }],
      interfaces: [iface('__proto__')],
    });
    const ctx = nodeContext(siteOf({ nodes: [node] }), node);
    expect(Object.keys(ctx.network)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(ctx.interfaces)).toBe(Object.prototype);
  });

  it('copies tags and labels, so a template cannot change the model', () => {
    const node = makeNode('n1', { tags: ['a'], ownerData: { k: 'v' } });
    const ctx = nodeContext(siteOf({ nodes: [node] }), node);
    ctx.tags.push('b');
    ctx.labels.k = 'changed';
    expect([node.tags, node.ownerData]).toEqual([['a'], { k: 'v' }]);
  });
});
