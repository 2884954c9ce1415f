import { describe, expect, it } from 'vitest';
import { bootAction, compile, compileClean, hardwareProfile, node } from './builders.ts';

describe('boot actions', () => {
  it('targets every node, in document order, when there is no node filter', () => {
    const site = compileClean(node('n1'), node('n2'), node('n3'), bootAction('all'));
    expect(site.bootActions.get('all')).toMatchObject({ nodeFilter: null, targetNodes: ['n1', 'n2', 'n3'], signaling: true });
  });

  it('targets the nodes a node_names union filter selects', () => {
    const site = compileClean(
      node('n1'),
      node('n2'),
      node('n3'),
      bootAction('some', {
        node_filter: { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['n3', 'n1', 'ghost'] }] },
      }),
    );
    const ba = site.bootActions.get('some');
    expect(ba?.nodeFilter).toEqual({ filterSetType: 'union', filterSet: [{ filterType: 'union', nodeNames: ['n3', 'n1', 'ghost'] }] });
    expect(ba?.targetNodes).toEqual(['n1', 'n3']);
  });

  it('reports a node filter it cannot read and targets no node rather than all', () => {
    const result = compile(
      hardwareProfile('hw'),
      node('n1'),
      bootAction('broken', { node_filter: { filter_set_type: 'sometimes', filter_set: [] } }),
    );
    expect(result.messages.map((m) => [m.name, m.documents[0]?.name])).toEqual([['DD002', 'broken']]);
    expect(result.site.bootActions.get('broken')?.targetNodes).toEqual([]);
  });

  it('maps assets: octal permissions, pipelines, and pkg_list data as a package list', () => {
    const site = compileClean(
      bootAction('ba', {
        signaling: false,
        assets: [
          { type: 'file', path: '/etc/motd', permissions: '644', data: 'hello {{ node.hostname }}', data_pipeline: ['template'] },
          {
            type: 'unit',
            path: '/lib/systemd/system/x.service',
            permissions: '0o600',
            location: 'http://h/x',
            location_pipeline: ['template'],
          },
          { type: 'pkg_list', data: { 'openssh-server': null, docker: '17.03' } },
        ],
      }),
    );
    const ba = site.bootActions.get('ba');
    expect(ba?.signaling).toBe(false);
    expect(ba?.assets).toEqual([
      {
        type: 'file',
        path: '/etc/motd',
        permissions: 0o644,
        location: null,
        locationPipeline: [],
        data: 'hello {{ node.hostname }}',
        dataPipeline: ['template'],
        packageList: null,
      },
      {
        type: 'unit',
        path: '/lib/systemd/system/x.service',
        permissions: 0o600,
        location: 'http://h/x',
        locationPipeline: ['template'],
        data: null,
        dataPipeline: [],
        packageList: null,
      },
      {
        type: 'pkg_list',
        path: null,
        permissions: null,
        location: null,
        locationPipeline: [],
        data: null,
        dataPipeline: [],
        packageList: { 'openssh-server': null, docker: '17.03' },
      },
    ]);
  });
});
