import { describe, expect, it } from 'vitest';
import { ApiError } from '../../src/errors.ts';
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

  it('retries a step after TASK_STEP_RETRY_BASE_SECONDS when the design source is briefly down mid-task', async () => {
    const { siteDesign, state } = await flakySource();
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain(1); // the parent starts its first phase
    const [sub] = await h.subtasks(id);
    state.down = true;
    h.queue.due.clear();
    // A fresh executor (no site loaded yet) cannot load the design: the step fails, nothing is lost.
    const fresh = h.make('fresh-executor');
    const outcome = await fresh.advance(sub?.taskId ?? '');
    expect(outcome.outcome).toBe('failed');
    const after = await h.task(sub?.taskId ?? '');
    expect([after.status, after.leaseOwner, after.nextRunAt?.getTime()]).toEqual(['queued', null, h.clock.ms + 10_000]);
    expect(h.queue.log.at(-1)).toEqual({ taskId: sub?.taskId, delayMs: 10_000 });
    expect(d.calls).toHaveLength(0);
    state.down = false;
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
