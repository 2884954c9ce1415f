import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { e2eApi, startTokenServer } from '../helpers/e2e-api.ts';
import { DENO_ENTRY, NODE_ENTRY, ROOT, type Server } from '../helpers/spawn.ts';
import { followTaskEvents } from '../helpers/task-events.ts';

// GET /tasks/{id}/events on Node (`tsx src/node.ts`) and Deno (`deno run
// src/deno.ts`), each on a libSQL file: a client that opens the stream right
// after creating a prepare_nodes task reads it live, one response, to `end`.

const WAIT_MS = 60_000;

describe.each([
  ['Node', NODE_ENTRY],
  ['Deno', DENO_ENTRY],
])('task events on %s', { timeout: 2 * WAIT_MS }, (_runtime, entry) => {
  let dir: string;
  let server: Server | undefined;
  let token = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'drydock-events-e2e-'));
    await mkdir(join(dir, 'designs'));
    await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(dir, 'designs', 'site.yaml'));
    ({ server, token } = await startTokenServer(entry, dir, {
      FAKE_LAB_STEP_MS: '100',
      TASK_POLL_INTERVAL_SECONDS: '1',
      LOG_LEVEL: 'warn',
    }));
  }, 60_000);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const { api, postJson } = e2eApi(() => server!, () => token, WAIT_MS);

  it('streams a live prepare_nodes to end in one response', async () => {
    const created = await postJson('/tasks', { action: 'prepare_nodes', design_ref: `file://${join(dir, 'designs', 'site.yaml')}` });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { task_id: string }).task_id;

    const read = await followTaskEvents(`${server!.url}/api/v1.0/tasks/${id}/events`, { 'X-Auth-Token': token }, WAIT_MS);
    expect(read.connections, server!.output()).toBe(1);
    const seqs = read.events.slice(0, -1).map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));

    const own = read.events.filter((e) => e.type === 'task' && e.data.task_id === id).map((e) => e.data);
    expect(own[0]).toMatchObject({ status: 'queued', phase: null });
    const phases = own.filter((d) => d.status === 'running').map((d) => d.phase);
    expect(phases).toEqual(expect.arrayContaining(['set_node_boot', 'power_cycle_node', 'identify_node']));
    expect(read.events.filter((e) => e.type === 'message' && e.data.node === 'east-ctl01').length).toBeGreaterThan(0);
    expect(read.events.at(-1)).toMatchObject({ type: 'end', data: { status: 'complete', result: { status: 'success' } } });

    // The stream said what GET /tasks/{id} says once it is over.
    const task = (await (await api(`/tasks/${id}`)).json()) as { status: string; result: { successes: string[] } };
    expect(task.status).toBe('complete');
    expect(read.events.at(-1)!.data.result.successes.sort()).toEqual([...task.result.successes].sort());
  });

  it('ends an open stream with a retry when the server stops, and the server exits at once', async () => {
    const slowDir = await mkdtemp(join(tmpdir(), 'drydock-events-stop-'));
    try {
      await mkdir(join(slowDir, 'designs'));
      await copyFile(join(ROOT, 'test/fixtures/designs/site.yaml'), join(slowDir, 'designs', 'site.yaml'));
      // A fake lab this slow keeps the task running while the stream is open.
      const slow = await startTokenServer(entry, slowDir, { FAKE_LAB_STEP_MS: '600000', LOG_LEVEL: 'warn' });
      const slowApi = e2eApi(() => slow.server, () => slow.token, WAIT_MS);
      const created = await slowApi.postJson('/tasks', { action: 'prepare_nodes', design_ref: `file://${join(slowDir, 'designs', 'site.yaml')}` });
      const id = ((await created.json()) as { task_id: string }).task_id;
      const reading = followTaskEvents(`${slow.server.url}/api/v1.0/tasks/${id}/events`, { 'X-Auth-Token': slow.token }, WAIT_MS, 1);
      await new Promise((r) => setTimeout(r, 1000));
      const stoppedAt = Date.now();
      const code = await slow.server.stop(10_000);
      const read = await reading;
      expect(Date.now() - stoppedAt, slow.server.output()).toBeLessThan(4000);
      expect(code).toBe(0);
      expect(read.retries).toEqual([1000]);
      expect(read.events.length).toBeGreaterThan(0);
      expect(read.events.some((e) => e.type === 'end')).toBe(false);
    } finally {
      await rm(slowDir, { recursive: true, force: true });
    }
  });
});
