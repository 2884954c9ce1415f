import { describe, expect, it } from 'vitest';
import { NodeFilterError, parseNodeFilter, selectNodes } from '../../src/design/filters.ts';
import { makeNode, makeRack, siteOf } from '../helpers/site-model.ts';

/** The node inventory of Drydock's doc/source/task.rst. */
const taskRstSite = siteOf({
  nodes: [
    makeNode('a', { labels: { type: 'physical', color: 'blue' } }),
    makeNode('b', { labels: { type: 'virtual', color: 'yellow' } }),
    makeNode('c', { labels: { type: 'physical', color: 'yellow' } }),
  ],
});

const site = siteOf({
  racks: [makeRack('rack1', { labels: { zone: 'north' } }), makeRack('rack2', { labels: { zone: 'south' } })],
  nodes: [
    makeNode('compute01', { rack: 'rack1', tags: ['compute', 'test'], labels: { role: 'worker' } }),
    makeNode('compute02', { rack: 'rack2', tags: ['compute'], labels: { role: 'worker', gpu: 'yes' } }),
    makeNode('controller01', { rack: 'rack1', tags: ['control', 'test'], labels: { role: 'master' } }),
    makeNode('spare01', { rack: null }),
  ],
});

const select = (input: unknown) => selectNodes(site, parseNodeFilter(input));
const one = (filter: Record<string, unknown>, setType = 'union') =>
  select({ filter_set_type: setType, filter_set: [filter] });

describe('selectNodes', () => {
  it("selects a, b and c for task.rst's example, as Drydock's process_filter does (the text claims a and c)", () => {
    const nf = parseNodeFilter({
      filter_set: [
        { filter_type: 'intersection', node_labels: { color: 'yellow', type: 'physical' } },
        { filter_type: 'intersection', node_names: ['a'] },
      ],
      filter_set_type: 'union',
    });
    expect(selectNodes(taskRstSite, nf)).toEqual(['a', 'b', 'c']);
  });

  it("selects the nodes matching any label of a Shipyard deployment group's selector", () => {
    const lab = siteOf({
      nodes: [
        makeNode('ctl01', { labels: { role: 'controller', zone: 'z1' } }),
        makeNode('ctl02', { labels: { role: 'controller', zone: 'z2' } }),
        makeNode('cmp01', { labels: { role: 'compute', zone: 'z3' } }),
        makeNode('cmp02', { labels: { role: 'compute', zone: 'z4' } }),
      ],
    });
    // Shipyard's _generate_node_filter: one intersection filter per selector, empty lists for the rest.
    const group = parseNodeFilter({
      filter_set_type: 'union',
      filter_set: [
        { filter_type: 'intersection', node_names: [], node_tags: [], node_labels: { role: 'controller', zone: 'z3' }, rack_names: [] },
      ],
    });
    expect(selectNodes(lab, group)).toEqual(['ctl01', 'ctl02', 'cmp01']);
  });

  it('selects every node, in site order, without a filter', () => {
    expect(selectNodes(site, null)).toEqual(['compute01', 'compute02', 'controller01', 'spare01']);
  });

  it('selects nodes by name, ignoring names not in the site', () => {
    expect(one({ filter_type: 'union', node_names: ['controller01', 'compute01', 'ghost'] })).toEqual([
      'compute01',
      'controller01',
    ]);
  });

  it('selects nodes carrying any of the listed tags', () => {
    expect(one({ filter_type: 'intersection', node_tags: ['test', 'nope'] })).toEqual(['compute01', 'controller01']);
  });

  it('selects nodes in any of the listed racks, never a node without a rack', () => {
    expect(one({ filter_type: 'intersection', rack_names: ['rack2', 'rack3'] })).toEqual(['compute02']);
  });

  it('matches node_labels against the node labels (owner_data)', () => {
    expect(one({ filter_type: 'intersection', node_labels: { role: 'worker' } })).toEqual(['compute01', 'compute02']);
  });

  it('matches any label pair of node_labels in an intersection filter and in a union filter alike', () => {
    expect(one({ filter_type: 'intersection', node_labels: { role: 'master', gpu: 'yes' } })).toEqual([
      'compute02',
      'controller01',
    ]);
    expect(one({ filter_type: 'union', node_labels: { role: 'master', gpu: 'yes' } })).toEqual([
      'compute02',
      'controller01',
    ]);
  });

  it('intersects node_labels, as one criterion, with the filter\'s other criteria', () => {
    expect(one({ filter_type: 'intersection', rack_names: ['rack1'], node_labels: { role: 'master', gpu: 'yes' } })).toEqual([
      'controller01',
    ]);
  });

  it("does not match a label name that is only an Object prototype key", () => {
    expect(one({ filter_type: 'union', node_labels: { toString: 'x' } })).toEqual([]);
  });

  it("matches rack_labels against the node's rack labels (Drydock left this unimplemented)", () => {
    expect(one({ filter_type: 'intersection', rack_labels: { zone: 'north' } })).toEqual(['compute01', 'controller01']);
    expect(one({ filter_type: 'intersection', rack_labels: { zone: 'west' } })).toEqual([]);
  });

  it('matches any label pair of rack_labels, as node_labels', () => {
    expect(one({ filter_type: 'intersection', rack_labels: { zone: 'south', row: 'r9' } })).toEqual(['compute02']);
    expect(one({ filter_type: 'intersection', rack_labels: { zone: 'south' }, node_tags: ['test'] })).toEqual([]);
  });

  it('ignores a rack that is not defined when matching rack labels', () => {
    const s = siteOf({ nodes: [makeNode('n1', { rack: 'ghost' })] });
    const nf = parseNodeFilter({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', rack_labels: { a: 'b' } }] });
    expect(selectNodes(s, nf)).toEqual([]);
  });

  it('joins the criteria of a union filter as a union', () => {
    expect(one({ filter_type: 'union', node_names: ['spare01'], rack_names: ['rack2'] })).toEqual([
      'compute02',
      'spare01',
    ]);
  });

  it('joins the criteria of an intersection filter as an intersection', () => {
    expect(one({ filter_type: 'intersection', node_tags: ['test'], rack_names: ['rack1'], node_labels: { role: 'master' } })).toEqual(['controller01']);
  });

  it('joins the filters of a union set as a union', () => {
    const filters = [
      { filter_type: 'union', node_names: ['compute01'] },
      { filter_type: 'union', rack_names: ['rack2'] },
    ];
    expect(select({ filter_set_type: 'union', filter_set: filters })).toEqual(['compute01', 'compute02']);
  });

  it('joins the filters of an intersection set as an intersection', () => {
    const filters = [
      { filter_type: 'union', node_tags: ['compute'] },
      { filter_type: 'union', rack_names: ['rack1'] },
    ];
    expect(select({ filter_set_type: 'intersection', filter_set: filters })).toEqual(['compute01']);
  });

  it('treats empty lists and maps as no criterion, as Drydock', () => {
    expect(one({ filter_type: 'intersection', node_names: [], node_labels: {}, rack_names: ['rack2'] })).toEqual([
      'compute02',
    ]);
  });

  it('selects nothing with a union filter of no criteria, as Drydock', () => {
    expect(one({ filter_type: 'union' })).toEqual([]);
  });

  it('selects every node with an intersection filter of no criteria (Drydock: "no constraint")', () => {
    expect(one({ filter_type: 'intersection' })).toHaveLength(4);
    const filters = [{ filter_type: 'intersection' }, { filter_type: 'union', node_names: ['compute02'] }];
    expect(select({ filter_set_type: 'intersection', filter_set: filters })).toEqual(['compute02']);
  });

  it('selects nothing for an empty union set and everything for an empty intersection set', () => {
    expect(select({ filter_set_type: 'union', filter_set: [] })).toEqual([]);
    expect(select({ filter_set_type: 'intersection' })).toHaveLength(4);
  });

  it('selects from 5000 nodes and 5000 names without quadratic work', () => {
    const names = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const big = siteOf({ nodes: names.map((n) => makeNode(n, { tags: ['t'] })) });
    const nf = parseNodeFilter({
      filter_set_type: 'intersection',
      filter_set: [{ filter_type: 'intersection', node_names: names, node_tags: ['t'] }],
    });
    expect(selectNodes(big, nf)).toHaveLength(5000);
  });
});

describe('parseNodeFilter', () => {
  const bad = (input: unknown) => () => parseNodeFilter(input);

  it('maps the snake_case shape to the model, dropping null criteria', () => {
    expect(
      parseNodeFilter({
        filter_set_type: 'intersection',
        filter_set: [
          { filter_type: 'union', node_names: ['a'], node_tags: null, node_labels: { n: 1 }, rack_names: ['r'], rack_labels: { z: 'x' } },
        ],
      }),
    ).toEqual({
      filterSetType: 'intersection',
      filterSet: [{ filterType: 'union', nodeNames: ['a'], nodeLabels: { n: '1' }, rackNames: ['r'], rackLabels: { z: 'x' } }],
    });
  });

  it('rejects a filter that is not an object', () => {
    expect(bad(null)).toThrow(NodeFilterError);
    expect(bad(['x'])).toThrow(/node_filter must be an object/);
  });

  it('rejects an unknown or missing filter_set_type', () => {
    expect(bad({ filter_set_type: 'xor', filter_set: [] })).toThrow(/filter_set_type must be 'union' or 'intersection', got "xor"/);
    expect(bad({ filter_set: [] })).toThrow(/filter_set_type .* got nothing/);
  });

  it('rejects an unknown or missing filter_type, naming the filter', () => {
    expect(bad({ filter_set_type: 'union', filter_set: [{ filter_type: 'union' }, { filter_type: 'all' }] })).toThrow(
      /filter_set\[1\]\.filter_type must be 'union' or 'intersection'/,
    );
    expect(bad({ filter_set_type: 'union', filter_set: [{ node_names: ['a'] }] })).toThrow(/filter_set\[0\]\.filter_type/);
  });

  it('rejects a filter_set that is not a list of objects', () => {
    expect(bad({ filter_set_type: 'union', filter_set: {} })).toThrow(/filter_set must be a list/);
    expect(bad({ filter_set_type: 'union', filter_set: ['a'] })).toThrow(/filter_set\[0\] must be an object/);
  });

  it('rejects criteria of the wrong type', () => {
    const f = (x: Record<string, unknown>) => bad({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', ...x }] });
    expect(f({ node_names: 'a' })).toThrow(/node_names must be a list of strings/);
    expect(f({ node_tags: [1] })).toThrow(/node_tags must be a list of strings/);
    expect(f({ rack_names: {} })).toThrow(/rack_names must be a list of strings/);
    expect(f({ node_labels: ['a'] })).toThrow(/node_labels must be a mapping/);
    expect(f({ rack_labels: { z: { deep: 1 } } })).toThrow(/rack_labels\.z must be a string/);
  });

  it('rejects unknown keys, as the BootAction schema does', () => {
    expect(bad({ filter_set_type: 'union', filter_set: [], extra: 1 })).toThrow(/node_filter has unknown key\(s\): extra/);
    expect(bad({ filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_label: {} }] })).toThrow(
      /filter_set\[0\] has unknown key\(s\): node_label/,
    );
  });
});
