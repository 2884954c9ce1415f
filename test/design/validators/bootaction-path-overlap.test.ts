import { describe, expect, it } from 'vitest';
import type { BootAction, BootActionAsset } from '../../../src/design/model.ts';
import { bootactionPathOverlap } from '../../../src/design/validators/bootaction-path-overlap.ts';
import { executeRule } from '../../../src/design/validators/rule.ts';
import { makeAsset, makeBootAction, siteOf } from '../../helpers/site-model.ts';

const ctx = { platforms: { images: {} } };
const asset = (type: BootActionAsset['type'], path: string | null): BootActionAsset => makeAsset({ type, path, data: 'x' });
const action = (name: string, targetNodes: string[], ...assets: BootActionAsset[]) =>
  makeBootAction(name, { targetNodes, assets });
const run = (...bootActions: BootAction[]) => executeRule(bootactionPathOverlap, siteOf({ bootActions }), ctx);

describe('Bootaction Path Overlap (DD4010)', () => {
  it('passes actions that place different paths, or the same path on different nodes', () => {
    const messages = run(
      action('a', ['n1', 'n2'], asset('file', '/etc/a')),
      action('b', ['n1', 'n2'], asset('unit', '/lib/systemd/system/b.service')),
      action('c', ['n3'], asset('file', '/etc/a')),
    );
    expect(messages.map((m) => m.level)).toEqual(['Info']);
    expect(messages[0]?.name).toBe('DD4010');
  });

  it('warns naming both actions, the path and the shared nodes', () => {
    const messages = run(
      action('first', ['n1', 'n2', 'n3'], asset('file', '/etc/motd')),
      action('second', ['n3', 'n2', 'n4'], asset('unit', '/etc/motd')),
    );
    expect(messages.map((m) => m.level)).toEqual(['Warning', 'Info']);
    expect(messages[0]).toMatchObject({
      error: false,
      message: 'Bootaction Path Overlap: Bootactions first and second both place /etc/motd on node(s) n3, n2.',
      documents: [
        { schema: 'drydock/BootAction/v1', name: 'first' },
        { schema: 'drydock/BootAction/v1', name: 'second' },
      ],
    });
  });

  it('warns once per pair of actions and path', () => {
    const messages = run(
      action('a', ['n1'], asset('file', '/x'), asset('file', '/y')),
      action('b', ['n1'], asset('file', '/x'), asset('file', '/y'), asset('file', '/x')),
    );
    expect(messages.filter((m) => m.level === 'Warning').map((m) => m.message)).toEqual([
      'Bootaction Path Overlap: Bootactions a and b both place /x on node(s) n1.',
      'Bootaction Path Overlap: Bootactions a and b both place /y on node(s) n1.',
    ]);
  });

  it('ignores pkg_list assets and assets without a path', () => {
    const messages = run(
      action('a', ['n1'], asset('pkg_list', '/x'), asset('file', null)),
      action('b', ['n1'], asset('pkg_list', '/x'), asset('file', null)),
    );
    expect(messages.map((m) => m.level)).toEqual(['Info']);
  });

  it('shortens the node list when many nodes overlap, in linear time', () => {
    const nodes = Array.from({ length: 5000 }, (_, i) => `n${i}`);
    const messages = run(action('a', nodes, asset('file', '/x')), action('b', nodes, asset('file', '/x')));
    expect(messages[0]?.message).toMatch(/n0, n1, .*, n9 and 4990 more\.$/);
  });
});
