import { deriveActionKey } from '../../bootaction/keys.ts';
import { readTarball, type TarEntry } from '../../bootaction/tarball.ts';
import type { BaremetalNode } from '../../design/model.ts';
import { apiUrl, bootActionReportUrl, publicBase } from '../../core/public-url.ts';
import type { DriverContext } from '../types.ts';
import { injectedFailure } from './failures.ts';
import { labDisk, type DeliveredContext } from './machine-memory.ts';

/** Each HTTP call of the simulated node is bounded, so a deploy step never hangs on it. */
export const AGENT_REQUEST_TIMEOUT_MS = 10_000;

const KEY_HEADER = 'X-Bootaction-Key';

type AssetKind = 'unit' | 'file';

interface Detail {
  message: string;
  error: boolean;
}

/**
 * The deployed simulated node doing what a real one does after first boot:
 * fetch its `units` and `files` tarballs with its node key, unpack them,
 * and report each signaling boot action (a start message, then a final
 * status) to the action's report URL with the action's key. A real node
 * reads its action ids and keys from the rendered files; the simulated one
 * takes the ids from its delivered context and derives the keys as the
 * service does. It also checks what a real node cannot: that the tarballs
 * hold exactly the files the design asked for (no extra entries).
 *
 * Failures are reported as the node would: as a Failure status with error
 * details. If no report can be sent, the deployment's report wait times out.
 */
export async function runAgent(ctx: DriverContext, node: BaremetalNode, delivered: DeliveredContext): Promise<void> {
  const base = publicBase(ctx.config);
  const log = ctx.logger.child({ component: 'fake-lab-agent', node: node.name });
  if (!base) {
    log.warn('PUBLIC_URL is not set: the simulated node cannot reach the service; its boot action reports will time out');
    return;
  }
  const problems: string[] = [];
  for (const kind of ['unit', 'file'] as const) {
    try {
      const entries = await fetchTarball(ctx, base, node.name, kind, delivered.nodeKey);
      problems.push(...checkEntries(ctx, delivered, kind, entries));
      await unpack(node.name, entries);
    } catch (err) {
      problems.push(`${kind}s tarball: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const injected = injectedFailure(ctx.config, node.name, 'bootaction');
  for (const action of delivered.actions) {
    if (!action.signaling) continue;
    const key = await deriveActionKey(delivered.nodeKey, action.actionId);
    // Where a real node reports: the report URL rendered into its files, plus `<id>/` as baclient adds.
    const url = `${bootActionReportUrl(ctx.config)}${action.actionId}/`;
    const failed = problems.length > 0 || injected !== null;
    const details: Detail[] = failed
      ? [...problems, ...(injected ? [`Failure injected by ${injected}`] : [])].map((message) => ({ message, error: true }))
      : [{ message: `Boot action ${action.name} ran on ${node.name}.`, error: false }];
    try {
      await post(ctx, url, key, { details: [{ message: `Boot action ${action.name} started on ${node.name}.`, error: false }] });
      await post(ctx, url, key, { status: failed ? 'Failure' : 'Success', details });
    } catch (err) {
      log.warn('boot action signal not sent', { action: action.name, error: err instanceof Error ? err.message : String(err) });
    }
  }
}

async function fetchTarball(ctx: DriverContext, base: string, host: string, kind: AssetKind, nodeKey: string): Promise<TarEntry[]> {
  const url = apiUrl(base, `/bootactions/nodes/${encodeURIComponent(host)}/${kind}s`);
  const res = await ctx.fetch(url, { headers: { [KEY_HEADER]: nodeKey }, signal: AbortSignal.timeout(AGENT_REQUEST_TIMEOUT_MS) });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) throw new Error(`GET answered ${res.status}: ${new TextDecoder().decode(bytes).slice(0, 300)}`);
  return readTarball(bytes);
}

async function post(ctx: DriverContext, url: string, key: string, body: unknown): Promise<void> {
  const res = await ctx.fetch(url, {
    method: 'POST',
    headers: { [KEY_HEADER]: key, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(AGENT_REQUEST_TIMEOUT_MS),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${text.slice(0, 300)}`);
}

/** Every path the delivered actions' assets of this kind place, and nothing else, once each. */
function checkEntries(ctx: DriverContext, delivered: DeliveredContext, kind: AssetKind, entries: TarEntry[]): string[] {
  const expected = new Set<string>();
  for (const { name } of delivered.actions) {
    for (const asset of ctx.site.bootActions.get(name)?.assets ?? []) {
      if (asset.type === kind && asset.path !== null) expected.add(asset.path);
    }
  }
  const found = entries.map((e) => e.path);
  const problems: string[] = [];
  const extra = found.filter((p) => !expected.has(p));
  const missing = [...expected].filter((p) => !found.includes(p));
  const twice = found.filter((p, i) => found.indexOf(p) !== i);
  if (extra.length > 0) problems.push(`${kind}s tarball has files the design did not ask for: ${extra.join(', ')}`);
  if (missing.length > 0) problems.push(`${kind}s tarball lacks: ${missing.join(', ')}`);
  if (twice.length > 0) problems.push(`${kind}s tarball repeats: ${twice.join(', ')}`);
  if (entries.some((e) => e.type !== '0')) problems.push(`${kind}s tarball has entries that are not regular files`);
  return problems;
}

async function unpack(host: string, entries: TarEntry[]): Promise<void> {
  const disk = labDisk();
  if (!disk) return;
  for (const e of entries) {
    if (e.type !== '0') continue;
    const relative = e.path.replace(/^\/+/, '');
    if (relative === '' || relative.split('/').includes('..')) throw new Error(`refusing to unpack ${JSON.stringify(e.path)}`);
    await disk.writeFile(host, relative, e.content, e.mode);
  }
}
