import type { BaremetalNode } from '../../design/model.ts';
import { kernelParamString } from '../kernel-params.ts';
import type { Progress } from '../types.ts';
import type { MaasClient } from './client.ts';
import { findNode } from './identify.ts';
import { MaasError } from './maas-error.ts';

interface MaasTag {
  name: string;
  kernel_opts?: string | null;
}

const tagPath = (name: string) => `tags/${encodeURIComponent(name)}/`;

async function applyTag(client: MaasClient, name: string, systemId: string): Promise<void> {
  await client.json({ method: 'POST', path: tagPath(name), op: 'update_nodes', params: { add: systemId } });
}

/**
 * A static tag, which the platform step of another node of the same task may
 * be creating at the same moment (nodes of a phase run side by side): MAAS's
 * "already exists" (its form's unique-name check, 400) means it is there.
 */
async function createSharedTag(client: MaasClient, name: string): Promise<void> {
  try {
    await client.json({ method: 'POST', path: 'tags/', params: { name } });
  } catch (err) {
    if (!(err instanceof MaasError && err.status === 400 && err.said.includes('already exists'))) throw err;
  }
}

/**
 * Drydock's ApplyNodePlatform: the node's kernel parameters as the kernel
 * options of its own `<node>_kp` tag (made again when they changed), and
 * its static tags, each created when MAAS lacks it and applied to the
 * machine. One read of the tag list for all of it, where Drydock reads it
 * again before each tag. A deployed machine is left alone, as Drydock does.
 */
export async function applyNodePlatform(client: MaasClient, node: BaremetalNode): Promise<Progress> {
  const found = await findNode(client, node, true);
  if (!found) return { state: 'failed', reason: `node ${node.name} was not found in MAAS` };
  if (found.kind === 'rackcontrollers') return { state: 'done', detail: `node ${node.name} is a MAAS rack controller; left as it is` };
  const { system_id: systemId, status_name: status } = found.machine;
  if (status === 'Deployed') return { state: 'done', detail: `node ${node.name} is deployed; destroy it first to change its platform` };
  const tags = new Map(((await client.json<MaasTag[]>({ method: 'GET', path: 'tags/' })) ?? []).map((t) => [t.name, t]));
  const done: string[] = [];
  const kernelOpts = kernelParamString(node.platform.kernelParams);
  if (kernelOpts) {
    const name = `${node.name}_kp`;
    const existing = tags.get(name);
    if (existing && (existing.kernel_opts ?? '') !== kernelOpts) await client.json({ method: 'DELETE', path: tagPath(name) });
    if (!existing || (existing.kernel_opts ?? '') !== kernelOpts) {
      await client.json({ method: 'POST', path: 'tags/', params: { name, kernel_opts: kernelOpts, comment: 'Drydock kernel parameters' } });
    }
    await applyTag(client, name, systemId);
    done.push(`kernel parameters "${kernelOpts}"`);
  }
  for (const tag of new Set(node.tags)) {
    if (!tags.has(tag)) await createSharedTag(client, tag);
    await applyTag(client, tag, systemId);
  }
  if (node.tags.length > 0) done.push(`tags ${[...new Set(node.tags)].join(', ')}`);
  return { state: 'done', detail: done.length > 0 ? `applied ${done.join(' and ')} to ${systemId}` : 'no kernel parameters or tags to apply' };
}
