import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followTaskEvents } from '../helpers/task-events.ts';
import { bundleWorker, ROOT, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';

// GET /tasks/{id}/events inside workerd, its queue consumer running the
// task: each response ends after TASK_EVENTS_STREAM_SECONDS (1 s here, 30 by
// default on Workers) with a `retry`, and the client resumes with
// Last-Event-ID until `end`, missing nothing and reading nothing twice.

const TOKEN = 'workerd-events-admin';
const auth = { 'X-Auth-Token': TOKEN };
const WAIT_MS = 60_000;

let bundle: WorkerBundle;
let worker: WorkerInstance;

beforeAll(async () => {
  bundle = await bundleWorker();
  worker = await startWorker(
    bundle.scriptPath,
    {
      AUTH_MODE: 'token',
      AUTH_TOKENS: `ops:admin:${createHash('sha256').update(TOKEN).digest('hex')}`,
      LOG_LEVEL: 'warn',
      FAKE_LAB_STEP_MS: '500',
      TASK_POLL_INTERVAL_SECONDS: '1',
      TASK_EVENTS_STREAM_SECONDS: '1',
      TASK_EVENTS_POLL_MS: '100',
    },
    { consumeQueue: true },
  );
}, 60_000);

afterAll(async () => {
  await worker?.dispose();
  await bundle?.cleanup();
});

describe('task events in workerd', { timeout: 2 * WAIT_MS }, () => {
  it('reads a prepare_nodes to end across bounded streams resumed with Last-Event-ID', async () => {
    const yaml = await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8');
    const stored = await worker.fetch('/api/v1.0/designs', { method: 'POST', body: yaml, headers: { ...auth, 'Content-Type': 'application/x-yaml' } });
    expect(stored.status).toBe(201);
    const ref = ((await stored.json()) as { href: string }).href;
    const created = await worker.fetch('/api/v1.0/tasks', {
      method: 'POST',
      body: JSON.stringify({ action: 'prepare_nodes', design_ref: ref }),
      headers: { ...auth, 'Content-Type': 'application/json' },
    });
    expect(created.status).toBe(201);
    const id = ((await created.json()) as { task_id: string }).task_id;

    const read = await followTaskEvents(`${worker.url}/api/v1.0/tasks/${id}/events`, auth, WAIT_MS);
    expect(read.connections, worker.output.join('\n')).toBeGreaterThanOrEqual(2);
    expect(read.retries).toContain(1000);
    expect(read.resumedFrom.length).toBe(read.connections - 1);
    const seqs = read.events.slice(0, -1).map((e) => e.seq);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));

    const own = read.events.filter((e) => e.type === 'task' && e.data.task_id === id).map((e) => e.data);
    expect(own[0]).toMatchObject({ status: 'queued', phase: null });
    expect(own.filter((d) => d.status === 'running').map((d) => d.phase)).toContain('power_cycle_node');
    expect(read.events.some((e) => e.type === 'message' && e.data.node === 'east-cmp01')).toBe(true);
    expect(read.events.at(-1)).toMatchObject({ type: 'end', data: { status: 'complete', result: { status: 'success' } } });

    // The long poll form reads the same events.
    const polled = await worker.fetch(`/api/v1.0/tasks/${id}/events?format=json`, { headers: auth });
    const body = (await polled.json()) as { events: Array<{ seq: number }>; done: boolean };
    expect(body.done).toBe(true);
    expect(body.events.map((e) => e.seq)).toEqual(read.events.map((e) => e.seq));
  });
});
