import { describe, expect, it } from 'vitest';
import { nodeFilterOf } from '../../src/cli/commands/node-filter.ts';

describe('the node filter of task create and nodefilter', () => {
  it("-n/-r/-t: Drydock CLI's one union filter in an intersection set, only the lists given", () => {
    expect(nodeFilterOf({ nodeNames: 'n1, n2', nodeTags: 'gpu' })).toEqual({
      filter_set_type: 'intersection',
      filter_set: [{ filter_type: 'union', node_names: ['n1', 'n2'], node_tags: ['gpu'] }],
    });
    expect(nodeFilterOf({})).toBeUndefined();
  });

  it('--node-filter is sent as given; bad JSON or mixing it with -n is a usage error (exit 2)', () => {
    const filter = { filter_set_type: 'union', filter_set: [{ filter_type: 'union', rack_names: ['r1'] }] };
    expect(nodeFilterOf({ nodeFilter: JSON.stringify(filter) })).toEqual(filter);
    expect(() => nodeFilterOf({ nodeFilter: '{nope' })).toThrow(expect.objectContaining({ exitCode: 2 }));
    expect(() => nodeFilterOf({ nodeFilter: '{}', nodeNames: 'n1' })).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringContaining('cannot be combined') }));
  });
});
