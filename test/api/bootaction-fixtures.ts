import { generateSite } from '../../bench/site-generator.ts';
import { deriveActionKey } from '../../src/bootaction/keys.ts';
import { createTaskRecord } from '../../src/orchestrator/task-store.ts';
import { createBootActionContexts, type NodeBootActions } from '../../src/services/bootactions/index.ts';
import { storeDesign } from '../../src/services/designs.ts';
import { effectiveSite } from '../../src/design/site-design.ts';
import { buildTestApp } from '../helpers/app.ts';

export const NOW = new Date('2030-06-15T12:00:00.000Z');
export const API = '/api/v1.0';

function bootAction(name: string, data: string): string {
  return `---
schema: drydock/BootAction/v1
metadata:
  schema: metadata/Document/v1
  name: ${name}
  layeringDefinition: {abstract: false, layer: site}
  storagePolicy: cleartext
data:
${data}`;
}

/**
 * The generated two-node site (node00000 is a master) with its two boot
 * actions (hello-world: a signaling file for every node; masters-only: a
 * non-signaling package list) and `extra` further boot action documents.
 */
export function designWith(...extra: string[]): string {
  const base = generateSite(2).yaml.replace(/\n\.\.\.\n$/, '\n');
  return `${base}${extra.join('')}...\n`;
}

/** A unit and a template file that shows the action's id, key and report URL. */
export const UNITS_ACTION = bootAction(
  'units',
  `  signaling: true
  assets:
    - path: /etc/systemd/system/hello.service
      type: unit
      permissions: '644'
      data: |
        [Unit]
        Description=hello on {{ node.hostname }}
      data_pipeline: [template]
    - path: /var/lib/hello/signal.env
      type: file
      data: |
        ID={{ action.action_id }}
        KEY={{ action.action_key }}
        URL={{ action.report_url }}
      data_pipeline: [template]
`,
);

export const BAD_BASE64_ACTION = bootAction(
  'broken',
  `  signaling: true
  assets:
    - path: /etc/broken
      type: file
      data: '%%% not base64 %%%'
      data_pipeline: [base64_decode]
`,
);

export const UNREACHABLE_ACTION = bootAction(
  'remote',
  `  signaling: true
  assets:
    - path: /etc/remote.conf
      type: unit
      location: http://assets.invalid/remote.conf
`,
);

export interface LabOptions {
  env?: Record<string, string>;
  design?: string;
  fetch?: typeof fetch;
}

/** A clock tests can move. */
export function movableClock(start = NOW) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/**
 * The app over a fresh database with a stored design, a deploy task on it,
 * and boot action contexts for both nodes: the real keys, as a node driver
 * would receive them.
 */
export async function bootActionLab(options: LabOptions = {}) {
  const clock = movableClock();
  const built = await buildTestApp({ env: { AUTH_MODE: 'none', ...options.env }, clock: clock.now, fetch: options.fetch });
  const db = built.database.db;
  const ctx = { db, clock: clock.now, config: built.services.config, siteDesign: built.services.siteDesign };
  const stored = await storeDesign(ctx, { text: options.design ?? designWith(UNITS_ACTION), format: 'yaml', createdBy: null });
  const designRef = `design://${stored.designId}`;
  const site = await effectiveSite(built.services.siteDesign, designRef);

  async function deploy(nodeNames = ['node00000', 'node00001']) {
    const task = await createTaskRecord(ctx, { action: 'deploy_nodes', designRef, designContentHash: stored.contentHash });
    const keys = await createBootActionContexts(ctx, { taskId: task.taskId, site, nodeNames });
    return { taskId: task.taskId, keys };
  }

  const first = await deploy();
  return { ...built, db, clock, site, designRef, deploy, taskId: first.taskId, keys: first.keys };
}

/** The node's key and the id and key of its action `name`. */
export async function actionOf(keys: Map<string, NodeBootActions>, node: string, name: string) {
  const entry = keys.get(node);
  const action = entry?.actions.find((a) => a.name === name);
  if (!entry || !action) throw new Error(`no boot action ${name} for ${node}`);
  return { nodeKey: entry.nodeKey, actionId: action.actionId, actionKey: await deriveActionKey(entry.nodeKey, action.actionId) };
}

export const keyed = (key: string, extra: Record<string, string> = {}): RequestInit => ({
  headers: { 'X-Bootaction-Key': key, ...extra },
});

export function signal(key: string | null, body: unknown, extra: Record<string, string> = {}): RequestInit {
  return {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'Content-Type': 'application/json', ...(key === null ? {} : { 'X-Bootaction-Key': key }), ...extra },
  };
}
