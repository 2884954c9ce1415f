import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { deriveActionKey } from '../../src/bootaction/keys.ts';
import { bootActionStatus } from '../../src/db/schema/bootactions.ts';
import { fakeLabMachines } from '../../src/db/schema/fakelab.ts';
import type { Db } from '../../src/db/types.ts';
import { installLabDisk } from '../../src/drivers/fake/machine-memory.ts';
import { createLabDisk } from '../../src/runtime/fake-lab-disk.ts';
import { httpLab, prepareAndDeploy } from './bootaction-lab.ts';

const CONTROL = 'east-ctl01';
const COMPUTES = ['east-cmp01', 'east-cmp02'];

/** Drydock's BootactionReport messages are the report subtask's; the deploy task holds its failures. */
async function reportMessages(lab: Awaited<ReturnType<typeof httpLab>>, id: string) {
  const report = (await lab.h.subtasks(id)).find((s) => s.action === 'bootaction_report');
  return lab.h.messages(report?.taskId ?? '');
}

async function statuses(db: Db, taskId: string) {
  const rows = await db.select().from(bootActionStatus).where(eq(bootActionStatus.taskId, taskId));
  return rows.map((r) => `${r.nodeName}:${r.actionName}:${r.actionStatus}`).sort();
}

/** Every text of every row of every table, to look for a secret in. */
async function everyText(db: Db): Promise<string> {
  const tables = await db.all<{ name: string }>(sql`select name from sqlite_master where type = 'table'`);
  const parts: string[] = [];
  for (const { name } of tables) parts.push(JSON.stringify(await db.all(sql.raw(`select * from "${name}"`))));
  return parts.join('\n');
}

let disk: string | null = null;
afterEach(async () => {
  installLabDisk(null);
  if (disk) await rm(disk, { recursive: true, force: true });
  disk = null;
});

describe('deploy_nodes waits for boot action reports', () => {
  it('succeeds once every signaling boot action reported Success over HTTP', async () => {
    const lab = await httpLab();
    const id = await prepareAndDeploy(lab);
    const task = await lab.h.task(id);
    expect([task.status, task.resultStatus, task.resultFailures]).toEqual(['complete', 'success', []]);
    expect((await lab.h.subtasks(id)).map((s) => s.action).at(-1)).toBe('bootaction_report');
    expect(await statuses(lab.h.database.db, id)).toEqual([
      'east-cmp01:base-packages:unreported',
      'east-cmp02:base-packages:unreported',
      'east-ctl01:base-packages:unreported',
      'east-ctl01:hello-control:success',
    ]);
    expect((await reportMessages(lab, id)).map((m) => [m.context, m.message, m.error])).toEqual([
      [CONTROL, 'Boot action hello-control completed with status success', false],
    ]);
    // The node's own messages (start, then final) arrive as bootaction messages on the deploy task.
    const messages = await lab.h.messages(id);
    expect(messages.filter((m) => m.contextType === 'bootaction').map((m) => m.message)).toEqual([
      `Boot action hello-control started on ${CONTROL}.`,
      `Boot action hello-control ran on ${CONTROL}.`,
    ]);
    expect(lab.requests).toContain(`GET /api/v1.0/bootactions/nodes/${CONTROL}/files`);
    expect(lab.requests).toContain(`GET /api/v1.0/bootactions/nodes/${CONTROL}/units`);
  });

  it('records each node\'s package list in its simulated machine, as cloud-config packages', async () => {
    const lab = await httpLab();
    await prepareAndDeploy(lab);
    const [row] = await lab.h.database.db.select().from(fakeLabMachines).where(eq(fakeLabMachines.nodeName, 'east-cmp01'));
    expect((row?.detail as Record<string, unknown>)['packages']).toEqual({
      ipmitool: null,
      'docker.io': '18.09.7-0ubuntu1~16.04.7',
      'linux-tools-generic': null,
    });
  });

  it('fails the node whose boot action reports Failure, naming the action', async () => {
    const lab = await httpLab({ env: { FAKE_LAB_FAIL: `${CONTROL}:bootaction` } });
    const id = await prepareAndDeploy(lab);
    const task = await lab.h.task(id);
    expect([task.resultStatus, task.resultFailures, [...task.resultSuccesses].sort()]).toEqual(['partial_success', [CONTROL], COMPUTES]);
    const errors = (await lab.h.messages(id)).filter((m) => m.error && m.contextType === 'node').map((m) => m.message);
    expect(errors).toEqual([`bootaction_report failed on ${CONTROL}: boot action hello-control completed with status failure`]);
    expect((await reportMessages(lab, id)).map((m) => [m.context, m.message, m.error])).toEqual([
      [CONTROL, 'Boot action hello-control completed with status failure', true],
    ]);
    const fromNode = (await lab.h.messages(id)).filter((m) => m.contextType === 'bootaction' && m.error);
    expect(fromNode.map((m) => m.message)).toEqual([`Failure injected by FAKE_LAB_FAIL ${CONTROL}:bootaction`]);
  });

  it('times out a boot action nobody reports, by re-scheduling rather than sleeping', async () => {
    const lab = await httpLab({ env: { FAKE_LAB_AGENT: 'off', BOOTACTION_FINAL_STATUS_TIMEOUT: '30', TASK_POLL_INTERVAL_SECONDS: '10' } });
    await lab.h.create({ action: 'prepare_nodes', designRef: lab.ref });
    await lab.h.drain();
    const start = lab.h.clock.ms;
    const id = await lab.h.create({ action: 'deploy_nodes', designRef: lab.ref });
    await lab.h.drain();
    const task = await lab.h.task(id);
    expect([task.resultStatus, task.resultFailures]).toEqual(['partial_success', [CONTROL]]);
    expect(lab.h.clock.ms - start).toBeGreaterThanOrEqual(30_000);
    const report = (await lab.h.subtasks(id)).find((s) => s.action === 'bootaction_report');
    // Asked at 0, 10, 20 and 30 seconds.
    expect(lab.h.queue.log.filter((l) => l.taskId === report?.taskId).length).toBeGreaterThanOrEqual(4);
    const errors = (await lab.h.messages(id)).filter((m) => m.error).map((m) => m.message);
    expect(errors).toEqual([`bootaction_report failed on ${CONTROL}: boot action hello-control timed out`]);
    // One message says what it waits for, not one per poll.
    const deadline = new Date((report?.created.getTime() ?? 0) + 30_000).toISOString();
    expect((await reportMessages(lab, id)).map((m) => [m.context, m.message, m.error])).toEqual([
      ['NA', `Waiting until ${deadline} for boot action reports of 1 node(s): ${CONTROL} (hello-control)`, false],
      [CONTROL, 'Boot action hello-control timed out.', true],
    ]);
    expect(lab.requests).toEqual([]);
  });

  it('keeps no node or action key in the database, and writes each machine\'s key and files under FAKE_LAB_DISK_DIR', async () => {
    disk = await mkdtemp(join(tmpdir(), 'fake-lab-disk-'));
    installLabDisk(createLabDisk(disk));
    const lab = await httpLab();
    const id = await prepareAndDeploy(lab);
    expect((await lab.h.task(id)).resultStatus).toBe('success');

    const keyFile = join(disk, CONTROL, 'bootaction.key');
    const keyText = await readFile(keyFile, 'utf8');
    // A line, as baclient -keyfile reads it (up to and without the newline).
    expect(keyText).toMatch(/^[0-9a-f]{64}\n$/);
    const nodeKey = keyText.slice(0, keyText.indexOf('\n'));
    expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
    const [action] = await lab.h.database.db.select().from(bootActionStatus).where(eq(bootActionStatus.actionName, 'hello-control'));
    const actionKey = await deriveActionKey(nodeKey, action?.actionId ?? '');
    const text = await everyText(lab.h.database.db);
    expect(text).toContain(action?.actionId);
    expect(text).not.toContain(nodeKey);
    expect(text).not.toContain(actionKey);

    const script = join(disk, CONTROL, 'opt/hello/hello.sh');
    expect(await readFile(script, 'utf8')).toContain(`Hello from ${CONTROL}`);
    expect((await stat(script)).mode & 0o777).toBe(0o555);
    // Computes get base-packages only (a package list, no file): a key and nothing else.
    for (const node of COMPUTES) expect(await readFile(join(disk, node, 'bootaction.key'), 'utf8')).toMatch(/^[0-9a-f]{64}\n$/);
    await expect(stat(join(disk, 'east-cmp01', 'opt'))).rejects.toThrow();
  });
});
