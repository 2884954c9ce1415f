import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/core/errors.ts';
import { harness, scriptedDrivers, siteDesignOf, siteOfNodes } from './harness.ts';

const REF = 'https://designs.example/site.yaml';

async function flakySource() {
  const siteDesign = await siteDesignOf({ [REF]: siteOfNodes(2) });
  const resolve = siteDesign.source.resolve.bind(siteDesign.source);
  const state = { down: false };
  siteDesign.source = {
    resolve: async (ref) => {
      if (state.down) throw new ApiError('BadRequest', `Cannot resolve design_ref ${ref}: the server answered HTTP 503`);
      return resolve(ref);
    },
  };
  return { siteDesign, state };
}

describe('resilience', () => {
  it('fails a task whose design cannot be resolved at its start, as Drydock', async () => {
    const { siteDesign, state } = await flakySource();
    state.down = true;
    const h = await harness({ drivers: scriptedDrivers({}).drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus, task.resultReason]).toEqual(['complete', 'failure', 'Site design failed load.']);
    expect((await h.messages(id)).map((m) => m.message)).toContain(
      `Cannot resolve design_ref ${REF}: the server answered HTTP 503`,
    );
  });

  it('continues mid-task on a fresh executor while the design source is down: it reads the pinned design', async () => {
    const { siteDesign, state } = await flakySource();
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain(1); // the parent pins its design and starts its first phase
    const [sub] = await h.subtasks(id);
    state.down = true;
    h.queue.due.clear();
    const fresh = h.make('fresh-executor');
    expect((await fresh.advance(sub?.taskId ?? '')).outcome).toBe('stepped');
    await h.drain(10_000, fresh);
    expect((await h.task(id)).resultStatus).toBe('success');
  });

  it('keeps using the site it loaded when the design source goes down', async () => {
    const { siteDesign, state } = await flakySource();
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain(1);
    state.down = true;
    await h.drain();
    expect((await h.task(id)).resultStatus).toBe('success');
  });
});
