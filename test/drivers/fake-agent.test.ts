import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildTarball, readTarball } from '../../src/bootaction/tarball.ts';
import { bootActionStatus } from '../../src/db/schema/bootactions.ts';
import { resultMessages } from '../../src/db/schema/tasks.ts';
import { runAgent } from '../../src/drivers/fake/agent.ts';
import type { DriverContext } from '../../src/drivers/types.ts';
import { createLogger } from '../../src/core/log.ts';
import { bootActionLab, UNITS_ACTION, designWith } from '../api/bootaction-fixtures.ts';

const BASE = 'http://drydock.test';

/** The simulated node of node00000 against the app, its files tarball passed through `tamper`. */
async function agentRun(tamper: (files: Array<{ path: string; mode: number; content: Uint8Array }>) => void = () => {}) {
  const lab = await bootActionLab({ design: designWith(UNITS_ACTION), env: { PUBLIC_URL: BASE } });
  const fetcher: typeof fetch = async (input, init) => {
    const res = await lab.app.request(new Request(input, init));
    if (!new URL(new Request(input).url).pathname.endsWith('/files') || res.status !== 200) return res;
    const files = readTarball(new Uint8Array(await res.arrayBuffer())).map((e) => ({ path: e.path, mode: e.mode, content: e.content }));
    tamper(files);
    return new Response((await buildTarball(files)).bytes, { status: 200 });
  };
  const ctx: DriverContext = {
    db: lab.db,
    config: lab.services.config,
    clock: lab.clock.now,
    fetch: fetcher,
    logger: createLogger({ level: 'error', sink: () => {} }),
    site: lab.site,
    taskId: 'subtask',
    designRef: lab.designRef,
  };
  const keys = lab.keys.get('node00000');
  if (!keys) throw new Error('no context for node00000');
  await runAgent(ctx, lab.site.nodes.get('node00000')!, { ...keys, packages: {}, taskId: lab.taskId });
  const statuses = await lab.db.select().from(bootActionStatus).where(eq(bootActionStatus.nodeName, 'node00000'));
  const messages = await lab.db.select().from(resultMessages).where(eq(resultMessages.taskId, lab.taskId));
  return { statuses: Object.fromEntries(statuses.map((s) => [s.actionName, s.actionStatus])), messages };
}

describe('the simulated node', () => {
  it('reports Success for each signaling action when its tarballs hold exactly the design\'s files', async () => {
    const { statuses, messages } = await agentRun();
    expect(statuses).toEqual({ 'hello-world': 'success', 'masters-only': 'unreported', units: 'success' });
    expect(messages.filter((m) => m.error)).toEqual([]);
  });

  it('reports Failure when a tarball holds a file the design did not ask for', async () => {
    const { statuses, messages } = await agentRun((files) => files.push({ path: '/etc/extra', mode: 0o600, content: new Uint8Array() }));
    expect(statuses['units']).toBe('failure');
    expect(messages.filter((m) => m.error).map((m) => m.message)).toContain('files tarball has files the design did not ask for: /etc/extra');
  });

  it('reports Failure when a tarball lacks a file of one of its actions', async () => {
    const { statuses, messages } = await agentRun((files) => files.splice(0, files.length));
    expect(statuses['hello-world']).toBe('failure');
    expect(messages.some((m) => m.error && m.message.startsWith('files tarball lacks: '))).toBe(true);
  });
});
