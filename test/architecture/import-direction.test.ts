import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkImports, importGraph, subfolderCycles } from './import-graph.ts';
import { LAYERS, layerOf } from './layers.ts';

const SRC = fileURLToPath(new URL('../../src', import.meta.url));

describe('import direction', () => {
  const graph = importGraph(SRC);

  it('reads the real import graph of src/ (type-only imports and re-exports included)', () => {
    expect(graph.length).toBeGreaterThan(300);
    expect(graph).toContainEqual({ from: 'compose.ts', to: 'orchestrator/orchestrator.ts' });
    // `export type { … } from` in services/designs.ts is an arrow like any other.
    expect(graph).toContainEqual({ from: 'services/designs.ts', to: 'design/store.ts' });
  });

  it('every import points down the layer table, and no layers form a cycle', () => {
    expect(checkImports(graph)).toEqual({ unplaced: [], upward: [], cycles: [] });
  });

  it('fails on a reintroduced cycle: a driver importing the orchestrator', () => {
    const findings = checkImports([...graph, { from: 'drivers/fake/run.ts', to: 'orchestrator/types.ts' }]);
    expect(findings.upward).toEqual(['drivers/fake/run.ts -> orchestrator/types.ts (drivers -> orchestrator)']);
    expect(findings.cycles).toEqual([expect.arrayContaining(['orchestrator', 'drivers'])]);
    expect(findings.cycles[0]).toHaveLength(2);
  });

  it('fails on a route that reads the database itself, and on a folder the table does not know', () => {
    const findings = checkImports([
      ...graph,
      { from: 'routes/health.ts', to: 'db/types.ts' },
      { from: 'widgets/thing.ts', to: 'core/errors.ts' },
    ]);
    expect(findings.upward).toEqual(['routes/health.ts -> db/types.ts (routes -> db)']);
    expect(findings.unplaced).toEqual(['widgets/thing.ts']);
    expect(findings.cycles).toEqual([]);
  });

  it('the CLI speaks HTTP only: an import of the services or the database fails', () => {
    const findings = checkImports([
      ...graph,
      { from: 'cli/commands/task.ts', to: 'services/tasks/index.ts' },
      { from: 'cli.ts', to: 'db/types.ts' },
    ]);
    expect(findings.upward).toEqual([
      'cli/commands/task.ts -> services/tasks/index.ts (cli -> services)',
      'cli.ts -> db/types.ts (cli -> db)',
    ]);
  });

  it('no cycle between sub-folders either, and one would be found', () => {
    expect(subfolderCycles(graph)).toEqual([]);
    const reintroduced = [...graph, { from: 'design/schemas/index.ts', to: 'design/parse/documents.ts' }];
    expect(subfolderCycles(reintroduced)).toEqual([expect.arrayContaining(['design/schemas', 'design/parse'])]);
  });

  it('fails on a route that reaches past the services (design, drivers, orchestrator)', () => {
    const findings = checkImports([
      ...graph,
      { from: 'routes/nodefilter.ts', to: 'design/filters.ts' },
      { from: 'routes/nodes.ts', to: 'drivers/types.ts' },
      { from: 'routes/tasks.ts', to: 'orchestrator/types.ts' },
    ]);
    expect(findings.upward).toEqual([
      'routes/nodefilter.ts -> design/filters.ts (routes -> design)',
      'routes/nodes.ts -> drivers/types.ts (routes -> drivers)',
      'routes/tasks.ts -> orchestrator/types.ts (routes -> orchestrator)',
    ]);
  });

  it('routes, middleware and http are allowed exactly the layers they import (no allowance left over)', () => {
    const used = (layer: string) =>
      new Set(graph.filter((e) => layerOf(e.from) === layer && layerOf(e.to) !== layer).map((e) => layerOf(e.to)));
    for (const layer of ['routes', 'middleware', 'http']) {
      expect([...used(layer)].sort(), layer).toEqual([...(LAYERS[layer] ?? [])].sort());
    }
  });

  it('the layer table itself has no cycle', () => {
    const edges = Object.entries(LAYERS).flatMap(([layer, allowed]) =>
      allowed.map((below) => ({ from: `${layer === 'entries' ? 'runtime' : layer}/x.ts`, to: `${below}/x.ts` })),
    );
    expect(checkImports(edges.filter((e) => !e.to.startsWith('app/')))).toMatchObject({ cycles: [] });
  });
});
