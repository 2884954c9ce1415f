import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { buildData } from '../../src/db/schema/builddata.ts';
import { harness, scriptedDrivers, siteOfNodes } from './harness.ts';

const REF = 'design://site';

async function run(action: Parameters<Awaited<ReturnType<typeof harness>>['create']>[0]['action'], options: {
  kubernetes?: boolean;
  nodeFilter?: unknown;
  nodes?: number;
} = {}) {
  const d = scriptedDrivers({ kubernetes: options.kubernetes });
  const h = await harness({ drivers: d.drivers, sites: { [REF]: siteOfNodes(options.nodes ?? 3) } });
  const id = await h.create({ action, designRef: REF, nodeFilter: options.nodeFilter, createdBy: 'alice' });
  await h.drain();
  const task = await h.task(id);
  const subtasks = await h.subtasks(id);
  return { h, d, id, task, subtasks, messages: await h.messages(id) };
}

describe('task lifecycles with scripted drivers', () => {
  it('validates a design inline and keeps every finding as a message', async () => {
    const { task, subtasks, messages } = await run('validate_design');
    expect(task.status).toBe('complete');
    expect(task.resultStatus).toBe('success');
    expect(subtasks).toHaveLength(0);
    expect(messages).toHaveLength(0);
  });

  it('fails validate_design with the load messages of a broken design (Drydock loses them in merge_status_messages)', async () => {
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, sites: {}, broken: ['design://bad'] });
    const id = await h.create({ action: 'validate_design', designRef: 'design://bad' });
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus, task.resultErrorCount]).toEqual(['complete', 'failure', 1]);
    const [message] = await h.messages(id);
    expect(message).toMatchObject({ message: 'Document kind Widget is not supported', error: true, context: 'DD001' });
    expect(message?.extra).toMatchObject({ level: 'Error', diagnostic: 'fix it' });
  });

  it('verifies the site through the node driver and every OOB driver', async () => {
    const { task, subtasks, d } = await run('verify_site');
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(subtasks.map((s) => s.action).sort()).toEqual(['validate_node_services', 'validate_oob_services']);
    expect(subtasks.every((s) => s.status === 'complete' && s.parentTaskId === task.taskId)).toBe(true);
    expect(d.calls.map((c) => `${c.driver}:${c.action}`).sort()).toEqual([
      'scripted-node:validate_node_services',
      'scripted-oob:validate_oob_services',
    ]);
  });

  it('prepares the site in Drydock order: network template, credentials, provisioner', async () => {
    const { task, d } = await run('prepare_site');
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(d.calls.map((c) => c.action)).toEqual([
      'create_network_template',
      'configure_user_credentials',
      'configure_node_provisioner',
    ]);
  });

  it('verifies nodes by interrogating their OOB', async () => {
    const { task, d } = await run('verify_nodes');
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(task.resultSuccesses).toEqual(['n001', 'n002', 'n003']);
    expect(d.callsOf('interrogate_oob')).toBe(3);
  });

  it('prepares nodes: PXE boot, power cycle, identify, commission, interrogate and build data', async () => {
    const { h, task, subtasks, d } = await run('prepare_nodes');
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(task.resultSuccesses).toEqual(['n001', 'n002', 'n003']);
    expect(subtasks.map((s) => s.action)).toEqual([
      'set_node_boot',
      'power_cycle_node',
      'identify_node',
      'configure_hardware',
      'interrogate_node',
    ]);
    expect(d.calls.filter((c) => c.node === 'n002').map((c) => `${c.driver}:${c.action}`)).toEqual([
      'scripted-oob:set_node_boot',
      'scripted-oob:power_cycle_node',
      'scripted-node:identify_node',
      'scripted-node:configure_hardware',
      'scripted-node:interrogate_node',
    ]);
    const interrogate = subtasks.find((s) => s.action === 'interrogate_node');
    const rows = await h.database.db.select().from(buildData).where(eq(buildData.taskId, interrogate?.taskId ?? ''));
    expect(rows.map((r) => r.nodeName)).toEqual(['n001', 'n002', 'n003']);
    expect(interrogate?.resultLinks).toEqual([
      { rel: 'detail_logs', href: `/api/v1.0/tasks/${interrogate?.taskId}/builddata` },
    ]);
    // Each subtask names its nodes as Drydock's create_nodefilter_from_nodelist does.
    expect(subtasks[0]?.nodeFilter).toEqual({
      filter_set_type: 'intersection',
      filter_set: [{ filter_type: 'union', node_names: ['n001', 'n002', 'n003'] }],
    });
    expect(subtasks[0]?.createdBy).toBe('alice');
  });

  it('deploys nodes: networking, storage, platform, deploy', async () => {
    const { task, subtasks, messages } = await run('deploy_nodes');
    expect([task.status, task.resultStatus, task.resultErrorCount]).toEqual(['complete', 'success', 0]);
    expect(subtasks.map((s) => s.action)).toEqual([
      'apply_node_networking',
      'apply_node_storage',
      'apply_node_platform',
      'deploy_node',
      'bootaction_report',
    ]);
    expect(messages[0]).toMatchObject({
      message: `Started subtask ${subtasks[0]?.taskId} for action apply_node_networking`,
      context: task.taskId,
      contextType: 'task',
    });
  });

  it('destroys nodes through the node driver', async () => {
    const { task, d } = await run('destroy_nodes');
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(d.callsOf('destroy_node')).toBe(3);
  });

  it('relabels nodes through the kubernetes driver', async () => {
    const { task, d } = await run('relabel_nodes', { kubernetes: true });
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(d.calls.map((c) => c.driver)).toEqual(['scripted-k8s', 'scripted-k8s', 'scripted-k8s']);
  });

  it('fails relabel_nodes clearly when no kubernetes driver is enabled', async () => {
    const { task, subtasks, messages } = await run('relabel_nodes');
    expect([task.status, task.resultStatus, task.resultMessage]).toEqual([
      'complete',
      'failure',
      'no kubernetes driver enabled',
    ]);
    expect(subtasks).toHaveLength(0);
    expect(messages.map((m) => [m.message, m.error])).toEqual([['no kubernetes driver enabled', true]]);
  });

  it('acts only on the nodes its node_filter selects', async () => {
    const { task, d } = await run('destroy_nodes', {
      nodeFilter: { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['n002'] }] },
    });
    expect(task.resultSuccesses).toEqual(['n002']);
    expect(d.calls.map((c) => c.node)).toEqual(['n002']);
  });

  it('succeeds with nothing to do when no node is in scope', async () => {
    const { task, subtasks, messages } = await run('deploy_nodes', { nodes: 0 });
    expect([task.status, task.resultStatus]).toEqual(['complete', 'success']);
    expect(subtasks).toHaveLength(0);
    expect(messages.map((m) => m.message)).toEqual(['No nodes in scope, no work to do.']);
  });

  it('fails a task whose design does not load, with the design messages (Drydock leaves it running)', async () => {
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, sites: {}, broken: ['design://bad'] });
    const id = await h.create({ action: 'deploy_nodes', designRef: 'design://bad' });
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus, task.resultReason]).toEqual(['complete', 'failure', 'Site design failed load.']);
    const texts = (await h.messages(id)).map((m) => m.message);
    expect(texts).toContain('Document kind Widget is not supported');
    expect(d.calls).toHaveLength(0);
  });

  it('fails a task whose node_filter does not parse', async () => {
    const { task, messages } = await run('deploy_nodes', { nodeFilter: { filter_set_type: 'sideways' } });
    expect([task.status, task.resultStatus]).toEqual(['complete', 'failure']);
    expect(messages.some((m) => m.message.startsWith('Invalid node_filter'))).toBe(true);
  });

  it('ends a task with an unknown action as a failure', async () => {
    const d = scriptedDrivers({});
    const h = await harness({ drivers: d.drivers, sites: { [REF]: siteOfNodes(1) } });
    const id = await h.create({ action: 'noop' as never, designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.status, task.resultStatus]).toEqual(['complete', 'failure']);
    expect((await h.messages(id))[0]?.message).toBe('Unsupported action noop.');
  });
});
