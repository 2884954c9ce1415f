import { describe, expect, it } from 'vitest';
import { REVOKED_KEY_DIGEST } from '../../src/bootaction/records.ts';
import { bootActionStatus } from '../../src/db/schema/bootactions.ts';
import type { BootAction } from '../../src/design/model.ts';
import type { BootActionDelivery } from '../../src/drivers/types.ts';
import { harness, scriptedDrivers, siteOfNodes, type Script } from './harness.ts';

// A retried deploy_node (Drydock's retry_task of DeployNode) starts from a
// new boot action context, as Drydock's DeployNode makes one each time it
// runs: the first attempt's key was never kept, so a retry that deployed
// without delivering one would boot a node that cannot report.

const REF = 'design://site';

async function setup(script: Script, deliver: (node: string, payload: BootActionDelivery, n: number) => void) {
  const d = scriptedDrivers({ script });
  const events: string[] = [];
  const run = d.drivers.node.run;
  d.drivers.node.run = async (ctx, action, node, memo) => {
    if (action === 'deploy_node') events.push(`deploy ${node?.name}`);
    return run(ctx, action, node, memo);
  };
  const delivered = new Map<string, number>();
  d.drivers.node.deliverBootActionContext = async (_ctx, node, payload) => {
    const n = (delivered.get(node.name) ?? 0) + 1;
    delivered.set(node.name, n);
    events.push(`deliver ${node.name} ${payload.nodeKey.slice(0, 8)}`);
    deliver(node.name, payload, n);
  };
  const site = siteOfNodes(3);
  const hello = { name: 'hello', signaling: false, assets: [], nodeFilter: null, targetNodes: ['n003'] } as unknown as BootAction;
  site.bootActions.set('hello', hello);
  const h = await harness({ drivers: d.drivers, sites: { [REF]: site } });
  return { d, h, events };
}

const keysOf = (events: string[]) => events.filter((e) => e.startsWith('deliver n003')).map((e) => e.split(' ')[2]);

describe('a retried deploy_node', () => {
  it('gets a new boot action context, delivered before the retry deploys; the earlier key is revoked', async () => {
    const { h, events } = await setup(
      (action, node, call) => (action === 'deploy_node' && node === 'n003' && call === 1 ? { state: 'failed', reason: 'Failed deployment' } : { state: 'done' }),
      () => {},
    );
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    expect((await h.task(id)).resultStatus).toBe('success');
    const n003 = events.filter((e) => e.includes('n003'));
    expect(n003.map((e) => e.split(' ')[0])).toEqual(['deliver', 'deploy', 'deliver', 'deploy']);
    const [first, second] = keysOf(events);
    expect(first).not.toBe(second);
    const records = await h.database.db.select().from(bootActionStatus);
    expect(records.map((r) => [r.nodeName, r.actionKeyDigest === REVOKED_KEY_DIGEST])).toEqual([['n003', true], ['n003', false]]);
  });

  it('fails that attempt without a driver call when the new context cannot be delivered, saying why', async () => {
    const { h, d } = await setup(
      (action, node) => (action === 'deploy_node' && node === 'n003' ? { state: 'failed', reason: 'Failed deployment' } : { state: 'done' }),
      (node, _payload, n) => {
        if (node === 'n003' && n > 1) throw new Error('MAAS answered HTTP 503');
      },
    );
    const id = await h.create({ action: 'deploy_nodes', designRef: REF });
    await h.drain();
    const task = await h.task(id);
    expect([task.resultStatus, task.resultFailures]).toEqual(['partial_success', ['n003']]);
    expect(d.callsOf('deploy_node', 'n003')).toBe(1);
    const sub = (await h.subtasks(id)).find((s) => s.action === 'deploy_node')!;
    expect([sub.retry, sub.resultFailures]).toEqual([3, ['n003']]);
    const errors = (await h.messages(id)).filter((m) => m.error).map((m) => m.message);
    expect(errors.at(-1)).toBe('deploy_node failed on n003: boot action context not delivered: MAAS answered HTTP 503');
  });
});
