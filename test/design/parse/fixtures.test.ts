import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DesignDocument } from '../../../src/design/document.ts';
import { parseDesign } from '../../../src/design/parse/documents.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/designs/${name}`, import.meta.url), 'utf8');
const comparable = (d: DesignDocument) => ({ kind: d.kind, name: d.name, schema: d.schema, labels: d.labels, data: d.data });
const count = (docs: DesignDocument[]) =>
  docs.reduce<Record<string, number>>((acc, d) => ({ ...acc, [d.kind]: (acc[d.kind] ?? 0) + 1 }), {});

describe('the east-lab fixture site', () => {
  const deckhand = parseDesign(fixture('site.yaml'));
  const legacy = parseDesign(fixture('site-legacy.yaml'));

  it('parses in Deckhand format with no messages', () => {
    expect(deckhand.messages).toEqual([]);
    expect(count(deckhand.documents)).toEqual({
      Region: 1,
      Rack: 2,
      Network: 3,
      NetworkLink: 2,
      HardwareProfile: 1,
      HostProfile: 2,
      BaremetalNode: 3,
      BootAction: 2,
    });
  });

  it('parses in the legacy format with no messages and the same documents', () => {
    expect(legacy.messages).toEqual([]);
    expect(legacy.documents.map(comparable)).toEqual(deckhand.documents.map(comparable));
  });

  it('keeps rack labels from metadata and each document\'s line', () => {
    const racks = deckhand.documents.filter((d) => d.kind === 'Rack');
    expect(racks.map((r) => [r.name, r.labels])).toEqual([
      ['rack01', { zone: 'az1', power_feed: 'pdu-a' }],
      ['rack02', { zone: 'az2', power_feed: 'pdu-b' }],
    ]);
    for (const doc of [...deckhand.documents, ...legacy.documents]) expect(doc.line).toBeGreaterThan(0);
  });

  it('has the parts other tests rely on', () => {
    const byName = new Map(deckhand.documents.map((d) => [d.name, d.data]));
    expect(byName.get('data-bond')).toMatchObject({ bonding: { mode: '802.3ad' }, trunking: { mode: '802.1q' } });
    expect(byName.get('compute')).toMatchObject({ host_profile: 'base', interfaces: { '!pxe': {} } });
    expect(byName.get('east-cmp02')?.addressing).toContainEqual({ network: 'pxe', address: 'dhcp' });
    expect(byName.get('hello-control')).toHaveProperty('node_filter');
    expect(byName.get('base-packages')).toMatchObject({ assets: [{ type: 'pkg_list' }] });
  });
});

describe('a large site', () => {
  it('parses a 10,000-node design without a message', () => {
    const nodes = Array.from({ length: 10_000 }, (_, i) =>
      [
        '---',
        'schema: drydock/BaremetalNode/v1',
        'metadata:',
        `  name: node${i}`,
        'data:',
        '  host_profile: compute',
        '  addressing:',
        '    - network: mgmt',
        `      address: 10.${i >> 16}.${(i >> 8) & 255}.${i & 255}`,
        '  metadata:',
        `    rack: rack${i % 40}`,
        '',
      ].join('\n'),
    );
    const { documents, messages } = parseDesign(nodes.join(''));
    expect(messages).toEqual([]);
    expect(documents).toHaveLength(10_000);
    expect(documents[9_999]).toMatchObject({ name: 'node9999', index: 9_999, line: 9_999 * 11 + 2 });
  }, 120_000);
});
