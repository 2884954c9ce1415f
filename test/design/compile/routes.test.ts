import { describe, expect, it } from 'vitest';
import { compileClean, network } from './builders.ts';

const rack = (i: number, routes: unknown[], extra: Record<string, unknown> = {}) =>
  network(`storage_rack${i}`, { cidr: `172.16.${i}.0/24`, routedomain: 'storage', routes, ...extra });

describe('route domains', () => {
  it("renders one route per other network of the domain with the domain route's gateway and metric", () => {
    const site = compileClean(
      rack(1, [{ routedomain: 'storage', gateway: '172.16.1.1', metric: 10 }]),
      rack(2, [{ routedomain: 'storage', gateway: '172.16.2.1', metric: 10 }]),
      rack(3, [
        { subnet: '0.0.0.0/0', gateway: '172.16.3.254', metric: 100 },
        { routedomain: 'storage', gateway: '172.16.3.1', metric: 10 },
      ]),
    );
    expect(site.networks.get('storage_rack3')?.routes).toEqual([
      { subnet: '0.0.0.0/0', gateway: '172.16.3.254', metric: 100, routedomain: null },
      { subnet: '', gateway: '172.16.3.1', metric: 10, routedomain: 'storage' },
      { subnet: '172.16.1.0/24', gateway: '172.16.3.1', metric: 10, routedomain: null },
      { subnet: '172.16.2.0/24', gateway: '172.16.3.1', metric: 10, routedomain: null },
    ]);
    const rack1Subnets = site.networks.get('storage_rack1')?.routes.map((r) => r.subnet);
    expect(rack1Subnets).toEqual(['', '172.16.2.0/24', '172.16.3.0/24']);
  });

  it('renders routes into a network outside the domain that routes to it', () => {
    const site = compileClean(
      rack(1, []),
      rack(2, []),
      network('oam', { cidr: '10.0.0.0/24', routes: [{ routedomain: 'storage', gateway: '10.0.0.1', metric: 5 }] }),
    );
    expect(site.networks.get('oam')?.routes.slice(1).map((r) => [r.subnet, r.gateway, r.metric])).toEqual([
      ['172.16.1.0/24', '10.0.0.1', 5],
      ['172.16.2.0/24', '10.0.0.1', 5],
    ]);
    expect(site.networks.get('storage_rack1')?.routes).toEqual([]);
  });

  it('renders nothing for a domain route without a metric, as Drydock', () => {
    const site = compileClean(rack(1, [{ routedomain: 'storage', gateway: '172.16.1.1' }]), rack(2, []));
    expect(site.networks.get('storage_rack1')?.routes).toHaveLength(1);
  });

  it('leaves networks without route domains alone', () => {
    const site = compileClean(network('a', { routes: [{ subnet: '0.0.0.0/0', gateway: '10.0.0.1', metric: 1 }] }));
    expect(site.networks.get('a')?.routes).toHaveLength(1);
  });
});
