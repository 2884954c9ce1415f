import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/digest.ts';
import { designs } from '../../src/db/schema/designs.ts';
import { buildTestApp, jsonOf } from '../helpers/app.ts';
import { harness, scriptedDrivers, siteDesignOf, siteOfNodes } from './harness.ts';

const REF = 'https://designs.example/site.yaml';

/** A design server whose document the test edits: `text` is what it answers now. */
async function editableSource() {
  const siteDesign = await siteDesignOf({ 'site v1': siteOfNodes(2), 'site v2': siteOfNodes(3) });
  const state = { text: 'site v1', fetches: 0 };
  siteDesign.source = {
    resolve: async (ref) => {
      state.fetches++;
      return { text: state.text, contentType: 'application/yaml', ref };
    },
  };
  return { siteDesign, state };
}

describe('a task pins its design', () => {
  it('pins the content its design_ref gives at its first step, stores it, and shares it with every subtask', async () => {
    const { siteDesign, state } = await editableSource();
    const h = await harness({ drivers: scriptedDrivers({}).drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF, createdBy: 'alice' });
    expect((await h.task(id)).designContentHash).toBeNull();
    await h.drain();
    const hash = await sha256Hex('site v1');
    const task = await h.task(id);
    expect([task.resultStatus, task.designContentHash]).toEqual(['success', hash]);
    const subtasks = await h.subtasks(id);
    expect(subtasks.length).toBeGreaterThan(0);
    expect(new Set(subtasks.map((s) => s.designContentHash))).toEqual(new Set([hash]));
    // Hundreds of steps, one fetch of the ref.
    expect(state.fetches).toBe(1);
    const stored = await h.database.db.select().from(designs).where(eq(designs.contentHash, hash));
    // Sealed at rest (designs hold BMC credentials); the task's box opens it.
    expect(stored.map((d) => [d.documents.startsWith('ddenc1:'), d.documents.includes('site v1'), d.createdBy])).toEqual([[true, false, 'alice']]);
    expect(await siteDesign.box.open(stored[0]!.documents)).toBe('site v1');
  });

  it('deploys the design as it was when the task started, though the document is edited mid-deploy (Drydock re-reads it)', async () => {
    const { siteDesign, state } = await editableSource();
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain(1); // the first step pins v1 (two nodes)
    state.text = 'site v2'; // now three nodes
    await h.drain();
    const task = await h.task(id);
    expect(task.resultStatus).toBe('success');
    expect([...task.resultSuccesses].sort()).toEqual(['n001', 'n002']);
    expect(d.calls.some((c) => c.node === 'n003')).toBe(false);

    // A task created after the edit pins the new content.
    const next = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    expect([...(await h.task(next)).resultSuccesses].sort()).toEqual(['n001', 'n002', 'n003']);
    expect((await h.task(next)).designContentHash).toBe(await sha256Hex('site v2'));
  });

  it('shows the pinned content hash in the task, null until its first step', async () => {
    const { siteDesign } = await editableSource();
    const h = await harness({ drivers: scriptedDrivers({}).drivers, siteDesign });
    const { app } = await buildTestApp({ database: h.database });
    const id = await h.create({ action: 'verify_site', designRef: REF });
    expect((await jsonOf(await app.request(`/api/v1.0/tasks/${id}`))).design_content_hash).toBeNull();
    await h.drain();
    const body = await jsonOf(await app.request(`/api/v1.0/tasks/${id}`));
    expect([body.design_ref, body.design_content_hash]).toEqual([REF, await sha256Hex('site v1')]);
  });

  it('ends a task whose design_ref cannot be resolved at its first step without pinning anything', async () => {
    const { siteDesign } = await editableSource();
    siteDesign.source = {
      resolve: async () => {
        throw new Error('unreachable');
      },
    };
    const h = await harness({ drivers: scriptedDrivers({}).drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain(20);
    const task = await h.task(id);
    expect(task.designContentHash).toBeNull();
    expect(await h.database.db.select().from(designs)).toHaveLength(0);
  });
});
