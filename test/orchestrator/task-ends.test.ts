import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { ApiError } from '../../src/core/errors.ts';
import { createLogger } from '../../src/core/log.ts';
import { TOP_LEVEL_STEPS } from '../../src/orchestrator/actions/index.ts';
import type { TopLevelAction } from '../../src/orchestrator/types.ts';
import { createServices } from '../../src/compose.ts';
import { storeDesign } from '../../src/services/designs.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { harness, manualClock, scriptedDrivers, siteDesignOf, siteOfNodes } from './harness.ts';

const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));

const SECOND_REGION = `---
schema: drydock/Region/v1
metadata:
  schema: metadata/Document/v1
  name: west-lab
  storagePolicy: cleartext
  layeringDefinition:
    abstract: false
    layer: site
data: {}
`;

/** The fixture site plus a second Region: parses, but does not load (DD002). */
async function twoRegionLab() {
  const env = { AUTH_MODE: 'none' };
  const database = await memoryDatabase();
  const clock = manualClock();
  const logger = createLogger({ level: 'error', sink: () => {} });
  const services = createServices({ config: loadConfig(env), database, logger, clock: clock.now, designKey: 'ephemeral' });
  const d = scriptedDrivers({ kubernetes: true });
  const h = await harness({ drivers: d.drivers, siteDesign: services.siteDesign, database, env, clock });
  const text = `${await readFile(SITE, 'utf8')}\n${SECOND_REGION}`;
  const stored = await storeDesign({ db: database.db, clock: clock.now, siteDesign: services.siteDesign }, { text, format: 'yaml', createdBy: 'test' });
  return { h, d, ref: `design://${stored.designId}` };
}

const REF = 'https://designs.example/site.yaml';

/**
 * A task whose compiled design left the cache while its design reader fails
 * (a worker that died: 503), as long as `down` says so. A task reads its
 * pinned design, never its design_ref, after its first step: so this, not
 * the design source, is what fails its steps.
 */
async function switchableReader() {
  const siteDesign = await siteDesignOf({ [REF]: siteOfNodes(2) });
  const state = { down: false, calls: 0 };
  const get = siteDesign.cache.get.bind(siteDesign.cache);
  siteDesign.cache.get = (key) => (state.down ? undefined : get(key));
  siteDesign.reader = {
    read: async () => {
      state.calls++;
      throw new ApiError('ServiceUnavailable', 'The design reader failed; try again');
    },
  };
  return { siteDesign, state };
}

describe('every task ends', () => {
  const actions = Object.keys(TOP_LEVEL_STEPS) as TopLevelAction[];

  it.each(actions)('%s on a design with two Regions ends failure with the design messages', async (action) => {
    const { h, d, ref } = await twoRegionLab();
    const id = await h.create({ action, designRef: ref });
    const steps = await h.drain(50);
    expect(steps).toBeLessThan(50);
    expect(h.queue.next()).toBeNull();
    const task = await h.task(id);
    expect([task.status, task.resultStatus]).toEqual(['complete', 'failure']);
    const texts = (await h.messages(id)).map((m) => m.message);
    expect(texts.some((t) => t.startsWith('A design has one Region; west-lab'))).toBe(true);
    expect(await h.subtasks(id)).toHaveLength(0);
    expect(d.calls).toHaveLength(0);
  });

  it('fails a step that keeps throwing after TASK_STEP_MAX_ATTEMPTS, waiting twice as long each time, across executors', async () => {
    const { siteDesign, state } = await switchableReader();
    const env = { TASK_STEP_MAX_ATTEMPTS: '4', TASK_STEP_RETRY_BASE_SECONDS: '5' };
    const h = await harness({ drivers: scriptedDrivers({}).drivers, siteDesign, env });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain(1); // the parent loads the design and starts its first phase
    const [sub] = await h.subtasks(id);
    const subId = sub?.taskId ?? '';
    state.down = true;
    h.queue.due.clear();

    // Each attempt on a new executor (a restart, another instance): nothing is
    // cached in memory, so the count can only come from the database.
    const waits: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const before = h.clock.ms;
      const outcome = await h.make(`executor-${attempt}`).advance(subId);
      expect(outcome).toMatchObject({ outcome: 'failed', attempts: attempt });
      const row = await h.task(subId);
      expect([row.status, row.leaseOwner, row.stepAttempts]).toEqual(['queued', null, attempt]);
      waits.push((row.nextRunAt?.getTime() ?? 0) - before);
      expect(h.queue.log.at(-1)).toEqual({ taskId: subId, delayMs: waits.at(-1) });
      h.clock.set(row.nextRunAt?.getTime() ?? 0);
    }
    expect(waits).toEqual([5_000, 10_000, 20_000]);

    const last = await h.make('executor-4').advance(subId);
    expect(last).toMatchObject({ outcome: 'failed', attempts: 4, retryInMs: null });
    const failed = await h.task(subId);
    expect([failed.status, failed.resultStatus, failed.resultReason, failed.nextRunAt]).toEqual([
      'complete',
      'failure',
      'Step failed.',
      null,
    ]);
    const message = (await h.messages(subId)).at(-1);
    expect(message?.error).toBe(true);
    expect(message?.message).toBe(
      'Step start of apply_node_networking failed 4 time(s) in a row; giving up: The design reader failed; try again',
    );
    expect(message?.message).not.toMatch(/\n\s+at /);

    // The parent, woken by the subtask's end, reports each of its nodes with that error and ends too.
    state.down = false;
    await h.drain();
    const parent = await h.task(id);
    expect([parent.status, parent.resultStatus]).toEqual(['complete', 'failure']);
    const texts = (await h.messages(id)).map((m) => m.message);
    expect(texts).toContain(`apply_node_networking failed on n001: ${message?.message}`);
    expect(state.calls).toBe(4); // one failed read per attempt
  });

  it('continues a step that throws twice and then succeeds, and starts counting afresh', async () => {
    const { siteDesign, state } = await switchableReader();
    const h = await harness({ drivers: scriptedDrivers({}).drivers, siteDesign });
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain(1);
    const [sub] = await h.subtasks(id);
    const subId = sub?.taskId ?? '';
    state.down = true;
    h.queue.due.clear();
    for (let attempt = 1; attempt <= 2; attempt++) {
      const outcome = await h.make(`executor-${attempt}`).advance(subId);
      expect(outcome).toMatchObject({ outcome: 'failed', attempts: attempt, retryInMs: 10_000 * 2 ** (attempt - 1) });
      h.clock.set((await h.task(subId)).nextRunAt?.getTime() ?? 0);
    }
    state.down = false;
    const next = await h.make('executor-3').advance(subId);
    expect(next.outcome).toBe('stepped');
    expect((await h.task(subId)).stepAttempts).toBe(0);
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
  });
});
