import { describe, expect, it } from 'vitest';
import { compile, hardwareProfile, hostProfile, node } from './builders.ts';

const errors = (r: ReturnType<typeof compile>) => r.messages.filter((m) => m.error);

describe('unresolvable references', () => {
  it('reports a parent_profile cycle once as a DD002 error naming every profile in it, and still compiles', () => {
    const result = compile(
      hardwareProfile('hw'),
      hostProfile('a', { host_profile: 'c', metadata: { tags: ['a'] } }),
      hostProfile('b', { host_profile: 'a', metadata: { tags: ['b'] } }),
      hostProfile('c', { host_profile: 'b', metadata: { tags: ['c'] } }),
      hostProfile('leaf', { host_profile: 'a' }),
      node('n1', { host_profile: 'b' }),
      node('n2', { host_profile: 'leaf' }),
    );
    const errs = errors(result);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ name: 'DD002', level: 'Error', error: true, kind: 'ValidationMessage' });
    expect(errs[0]?.message).toMatch(/cycle/);
    expect(errs[0]?.documents.map((d) => d.name).sort()).toEqual(['a', 'b', 'c']);
    expect(errs[0]?.documents[0]?.schema).toBe('drydock/HostProfile/v1');
    // The walk from `a` (first in document order) goes a -> c -> b and closes
    // the loop at b -> a, so b compiles as a root.
    expect(result.site.hostProfiles.get('b')?.tags).toEqual(['b']);
    expect(result.site.hostProfiles.get('c')?.tags).toEqual(['c', 'b']);
    expect(result.site.hostProfiles.get('a')?.tags).toEqual(['a', 'c', 'b']);
    expect(result.site.nodes.get('n1')?.tags).toEqual(['b']);
    expect(result.site.nodes.get('n2')?.tags).toEqual(['a', 'c', 'b']);
  });

  it('survives a profile that is its own parent', () => {
    const result = compile(
      hardwareProfile('hw'),
      hostProfile('self', { host_profile: 'self' }),
      node('n1', { host_profile: 'self' }),
    );
    expect(errors(result).map((m) => m.documents.map((d) => d.name))).toEqual([['self']]);
    expect(result.site.nodes.has('n1')).toBe(true);
  });

  it('walks a very long chain without overflowing the stack', () => {
    const docs = [hostProfile('p0', { metadata: { tags: ['t0'] } })];
    for (let i = 1; i < 20_000; i++) docs.push(hostProfile(`p${i}`, { host_profile: `p${i - 1}` }));
    const result = compile(hardwareProfile('hw'), ...docs, node('n1', { host_profile: 'p19999' }));
    expect(result.messages).toEqual([]);
    expect(result.site.nodes.get('n1')?.tags).toEqual(['t0']);
  });

  it('reports a missing parent profile and compiles the profile without it', () => {
    const result = compile(
      hardwareProfile('hw'),
      hostProfile('orphan', { host_profile: 'ghost', metadata: { tags: ['x'] } }),
      node('n1', { host_profile: 'orphan' }),
      node('n2', { host_profile: 'orphan' }),
    );
    const errs = errors(result);
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ name: 'DD002', documents: [{ schema: 'drydock/HostProfile/v1', name: 'orphan' }] });
    expect(errs[0]?.message).toContain('ghost');
    expect(result.site.nodes.get('n1')?.tags).toEqual(['x']);
  });

  it("reports a node's missing host_profile and hardware_profile and keeps the node", () => {
    const result = compile(
      hardwareProfile('hw'),
      node('n1', { host_profile: 'nope', metadata: { tags: ['own'] } }),
      node('n2', { hardware_profile: 'HPGen42' }),
      node('n3', { hardware_profile: undefined }),
    );
    const errs = errors(result);
    expect(errs.map((m) => [m.name, m.documents[0]?.name])).toEqual([
      ['DD002', 'n1'],
      ['DD002', 'n2'],
      ['DD002', 'n3'],
    ]);
    expect(errs[0]?.message).toContain('nope');
    expect(errs[1]?.message).toContain('HPGen42');
    expect(errs[2]?.message).toMatch(/no hardware profile/);
    expect([...result.site.nodes.keys()]).toEqual(['n1', 'n2', 'n3']);
    expect(result.site.nodes.get('n1')?.tags).toEqual(['own']);
  });

  it('keeps the first of two documents with one kind and name and reports the second', () => {
    const result = compile(
      hardwareProfile('hw'),
      node('n1', { metadata: { tags: ['first'] } }),
      node('n1', { metadata: { tags: ['second'] } }),
    );
    expect(errors(result)).toHaveLength(1);
    expect(errors(result)[0]?.documents).toEqual([
      { schema: 'drydock/BaremetalNode/v1', name: 'n1' },
      { schema: 'drydock/BaremetalNode/v1', name: 'n1' },
    ]);
    expect(result.site.nodes.get('n1')?.tags).toEqual(['first']);
  });
});
