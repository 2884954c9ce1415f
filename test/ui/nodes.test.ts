import { describe, expect, it } from 'vitest';
import { resultMessages } from '../../src/db/schema/tasks.ts';
import { ADMIN, NOW, READER, seedBootAction, seedBuildData, seedTask, taskApp } from '../api/tasks-fixtures.ts';
import { Browser } from './ui-fixtures.ts';

async function nodeWithHistory(policy?: Record<string, string>) {
  const { app, db } = await taskApp({ policy });
  const deploy = await seedTask(db);
  await seedBootAction(db, 'n1', deploy);
  // seedBootAction's action id for node n1.
  const actionId = `01JN1`.padEnd(26, '0');
  await db.insert(resultMessages).values([
    { taskId: deploy, message: 'Boot action hello started on n1.', error: false, context: actionId, contextType: 'bootaction', ts: NOW, extra: {} },
    { taskId: deploy, message: 'Unrelated message', error: false, context: 'n1', contextType: 'node', ts: NOW, extra: {} },
  ]);
  const later = new Date(NOW.getTime() + 60_000);
  const subtask = await seedTask(db, { action: 'deploy_node', parentTaskId: deploy });
  await seedBuildData(db, { nodeName: 'n1', taskId: subtask, generator: 'lshw', collectedDate: later, dataElement: '<lshw>n1 hardware</lshw>', dataFormat: 'text/xml' });
  return { app, deploy, subtask, actionId };
}

describe('web view node pages', () => {
  it("shows a node's boot actions with their status and messages, its build data and its last task", async () => {
    const { app, deploy, subtask, actionId } = await nodeWithHistory();
    const b = new Browser(app);
    await b.signIn(ADMIN);
    const res = await b.get('/ui/nodes/n1');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`hello <div class="mono muted">${actionId}</div>`);
    expect(html).toContain('<span class="status status-pending">pending</span>');
    expect(html).toContain('<li class="">Boot action hello started on n1.</li>');
    expect(html).not.toContain('Unrelated message');
    expect(html).toContain(`href="/ui/tasks/${deploy}"`);
    expect(html).toContain('&lt;lshw&gt;n1 hardware&lt;/lshw&gt;');
    expect(html).toMatch(new RegExp(`Last task: <span><a class="mono" href="/ui/tasks/${subtask}">`));
    // No key digest of the node or of the action (tasks-fixtures seeds 'abab…' and 'cdcd…').
    expect(html).not.toContain('abababab');
    expect(html).not.toContain('cdcdcdcd');
  });

  it('leaves out the sections the user may not read, by the rules of the API routes that answer them', async () => {
    const { app } = await nodeWithHistory({ 'physical_provisioner:read_data': 'role:member' });
    const b = new Browser(app);
    await b.signIn(READER);
    const html = await (await b.get('/ui/nodes/n1')).text();
    expect(html).toContain('<h1>Node n1</h1>');
    expect(html).not.toContain('Boot actions');
    expect(html).not.toContain('Build data');
    expect(html).not.toContain('Last task');
    const list = await (await b.get('/ui/nodes')).text();
    expect(list).not.toContain('Last task');
  });

  it('refuses the node pages to a user without read_data (403)', async () => {
    const { app } = await nodeWithHistory();
    const b = new Browser(app);
    await b.signIn(READER);
    expect((await b.get('/ui/nodes/n1')).status).toBe(403);
    expect((await b.get('/ui/nodes')).status).toBe(403);
  });
});
