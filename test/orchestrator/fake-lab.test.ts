import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildData } from '../../src/db/schema/builddata.ts';
import { httpLab, prepareAndDeploy } from './bootaction-lab.ts';

const NODES = ['east-ctl01', 'east-cmp01', 'east-cmp02'];

/** The real fake lab (FAKE_LAB_STEP_MS=0), its simulated nodes reaching the app in-process, and the fixture site. */
async function lab(env: Record<string, string> = {}) {
  const { h, ref } = await httpLab({ env });
  return { h, ref };
}

describe('end to end against the fake lab', () => {
  it('prepares and then deploys every node of the fixture site', async () => {
    const { h, ref } = await lab();
    const prepare = await h.create({ action: 'prepare_nodes', designRef: ref });
    await h.drain();
    const prepared = await h.task(prepare);
    expect([prepared.status, prepared.resultStatus, prepared.resultFailures]).toEqual(['complete', 'success', []]);
    expect([...prepared.resultSuccesses].sort()).toEqual([...NODES].sort());
    const records = await h.database.db.select().from(buildData);
    expect(new Set(records.map((r) => r.nodeName))).toEqual(new Set(NODES));

    const deploy = await h.create({ action: 'deploy_nodes', designRef: ref });
    await h.drain();
    const deployed = await h.task(deploy);
    expect([deployed.status, deployed.resultStatus, deployed.resultFailures]).toEqual(['complete', 'success', []]);
    expect([...deployed.resultSuccesses].sort()).toEqual([...NODES].sort());
  });

  it('gives partial_success with the node whose deploy is made to fail, after 3 retries', async () => {
    const { h, ref } = await lab({ FAKE_LAB_FAIL: 'east-cmp02:deploy' });
    await h.create({ action: 'prepare_nodes', designRef: ref });
    await h.drain();
    const deploy = await h.create({ action: 'deploy_nodes', designRef: ref });
    await h.drain();
    const task = await h.task(deploy);
    expect([task.status, task.resultStatus, task.resultFailures]).toEqual(['complete', 'partial_success', ['east-cmp02']]);
    const sub = (await h.subtasks(deploy)).find((s) => s.action === 'deploy_node');
    expect(sub?.retry).toBe(3);
    const errors = (await h.messages(deploy)).filter((m) => m.error);
    expect(errors.map((m) => m.context)).toEqual(['east-cmp02']);
    expect(errors[0]?.message).toMatch(/^deploy_node failed on east-cmp02: /);
  });

  it('runs the site actions and verify_nodes against the fake lab', async () => {
    const { h, ref } = await lab();
    for (const action of ['validate_design', 'verify_site', 'prepare_site', 'verify_nodes'] as const) {
      const id = await h.create({ action, designRef: ref });
      await h.drain();
      const task = await h.task(id);
      expect([action, task.status, task.resultStatus]).toEqual([action, 'complete', 'success']);
    }
  });

  it("answers validate_design's messages in Drydock's TaskStatusMessage form, levels as its MessageLevels", async () => {
    const { h, app, ref } = await httpLab();
    const id = await h.create({ action: 'validate_design', designRef: ref });
    await h.drain();
    const task = (await (await app.request(`/api/v1.0/tasks/${id}`)).json()) as { result: { details: { messageList: unknown[] } } };
    const list = task.result.details.messageList as Array<Record<string, unknown>>;
    expect(list.length).toBeGreaterThan(0);
    for (const m of list) {
      expect(Object.keys(m).sort()).toEqual(['context', 'context_type', 'error', 'extra', 'message', 'ts']);
      expect(m.context_type).toBe('validation');
      const extra = m.extra as Record<string, unknown>;
      expect(Object.keys(extra).sort()).toEqual(['diagnostic', 'documents', 'kind', 'level', 'name']);
      expect(extra.level).toBe('Info');
    }
  });

  it('serves and links every URL under a PUBLIC_URL with a path prefix, deploy-stage build data included', async () => {
    const lab = await httpLab({ publicUrl: 'http://drydock.test/edge/' });
    const deploy = await prepareAndDeploy(lab);
    // The simulated nodes reach the service only through the prefix (the proxy takes it off).
    expect((await lab.h.task(deploy)).resultStatus).toBe('success');
    expect(lab.requests).toContain('GET /api/v1.0/bootactions/nodes/east-ctl01/files');
    expect(lab.requests.some((r) => /^POST \/api\/v1\.0\/bootactions\/[0-9A-Z]{26}\/$/.test(r))).toBe(true);
    // Drydock's DeployNode links the deploy stage's build data as detail_logs.
    const sub = (await lab.h.subtasks(deploy)).find((s) => s.action === 'deploy_node')!;
    const view = (await (await lab.app.request(`http://elsewhere.test/api/v1.0/tasks/${sub.taskId}`)).json()) as {
      result: { links: Array<{ rel: string; href: string }> };
    };
    const href = `http://drydock.test/edge/api/v1.0/tasks/${sub.taskId}/builddata`;
    expect(view.result.links).toEqual([{ rel: 'detail_logs', href }]);
    const res = await lab.fetch(href);
    expect(res.status).toBe(200);
    const records = (await res.json()) as Array<{ node_name: string; generator: string; data_format: string; data_element: string }>;
    expect(records.map((r) => [r.node_name, r.generator, r.data_format]).sort()).toEqual(
      NODES.map((n) => [n, 'deploy:/tmp/install.log', 'text/plain']).sort(),
    );
    expect(records[0]!.data_element).toContain('curtin: Installation finished.');
  });

  it('destroys deployed nodes', async () => {
    const { h, ref } = await lab();
    for (const action of ['prepare_nodes', 'deploy_nodes', 'destroy_nodes'] as const) {
      const id = await h.create({ action, designRef: ref });
      await h.drain();
      expect([action, (await h.task(id)).resultStatus]).toEqual([action, 'success']);
    }
    const rows = await h.database.db.select().from(buildData).where(eq(buildData.nodeName, 'east-ctl01'));
    expect(rows.length).toBeGreaterThan(0);
  });
});

describe('the fake lab with step durations', () => {
  it('polls machines that take time until they are ready', async () => {
    const { h, ref } = await lab({ FAKE_LAB_STEP_MS: '5000' });
    const start = h.clock.ms;
    const id = await h.create({ action: 'prepare_nodes', designRef: ref });
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    // Simulated time passed while the lab's operations ran.
    expect(h.clock.ms - start).toBeGreaterThanOrEqual(5000);
  });
});
