/**
 * A node's boot action files or units as one gzip tarball (Drydock's
 * BootactionAssetsResource): the node's current action records joined by
 * name to the boot actions of its deploy task's design, in design order,
 * rendered with action keys derived from the node key it presented.
 *
 * Drydock answered any failure here with a 500 carrying the exception text.
 * Here a design that cannot be fetched any more is 502, one that no longer
 * loads 500; an asset that fails is 502 (its location could not be fetched)
 * or 500 (it could not be rendered), naming the boot action and the asset.
 * Nothing is sent until every asset rendered: never a partial tarball.
 */
import { and, eq, ne } from 'drizzle-orm';
import { deriveActionKey } from '../../bootaction/keys.ts';
import { AssetError, renderAssets, type RenderAction } from '../../bootaction/render/index.ts';
import { buildTarball, TarPathError } from '../../bootaction/tarball.ts';
import type { Config } from '../../config.ts';
import { bootActionStatus } from '../../db/schema/bootactions.ts';
import type { Db } from '../../db/types.ts';
import { ApiError } from '../../errors.ts';
import { loadSite, requireSite, type SiteDesignDeps } from '../site-design.ts';
import type { AuthenticatedNode } from './authenticate.ts';
import { REVOKED_KEY_DIGEST } from './records.ts';

export interface AssetsContext {
  db: Db;
  siteDesign: SiteDesignDeps;
  fetch: typeof fetch;
  config: Pick<Config, 'DESIGN_FETCH_TIMEOUT_MS' | 'DESIGN_MAX_BYTES' | 'DESIGN_FETCH_RETRIES' | 'DESIGN_ALLOWED_HOSTS'>;
}

export type AssetType = 'unit' | 'file';

async function siteOf(ctx: AssetsContext, node: AuthenticatedNode) {
  let design;
  try {
    design = await loadSite(ctx.siteDesign, node.designRef);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new ApiError('BadGateway', `The design of task ${node.taskId} could not be fetched: ${reason}`);
  }
  if (design.loadMessages.some((m) => m.error)) {
    throw new ApiError('InternalError', `The design of task ${node.taskId} no longer loads`);
  }
  return requireSite(design);
}

async function actionsOf(ctx: AssetsContext, node: AuthenticatedNode, site: Awaited<ReturnType<typeof siteOf>>): Promise<RenderAction[]> {
  const rows = await ctx.db
    .select({ actionId: bootActionStatus.actionId, actionName: bootActionStatus.actionName })
    .from(bootActionStatus)
    .where(
      and(
        eq(bootActionStatus.nodeName, node.nodeName),
        eq(bootActionStatus.taskId, node.taskId),
        ne(bootActionStatus.actionKeyDigest, REVOKED_KEY_DIGEST),
      ),
    );
  const idByName = new Map(rows.map((r) => [r.actionName, r.actionId]));
  const actions: RenderAction[] = [];
  for (const action of site.bootActions.values()) {
    const actionId = idByName.get(action.name);
    if (actionId === undefined || !action.targetNodes.includes(node.nodeName)) continue;
    actions.push({ action, actionId, actionKey: await deriveActionKey(node.nodeKey, actionId) });
  }
  return actions;
}

/** The node's rendered assets of one type as a tarball, with its strong ETag. */
export async function nodeAssetTarball(
  ctx: AssetsContext,
  node: AuthenticatedNode,
  assetType: AssetType,
  reportUrl: string,
): Promise<{ bytes: Uint8Array<ArrayBuffer>; etag: string }> {
  const site = await siteOf(ctx, node);
  const baremetal = site.nodes.get(node.nodeName);
  if (!baremetal) throw new ApiError('InternalError', `Node ${node.nodeName} is not in the design of task ${node.taskId}`);
  const actions = await actionsOf(ctx, node, site);
  let files;
  try {
    files = await renderAssets({
      site,
      node: baremetal,
      designRef: node.designRef,
      reportUrl,
      actions,
      assetType,
      fetch: ctx.fetch,
      timeoutMs: ctx.config.DESIGN_FETCH_TIMEOUT_MS,
      maxBytes: ctx.config.DESIGN_MAX_BYTES,
      // Locations are fetched as design refs are: same timeout, size limit, retries and allowed hosts.
      retries: ctx.config.DESIGN_FETCH_RETRIES,
      ...(ctx.config.DESIGN_ALLOWED_HOSTS ? { allowHosts: ctx.config.DESIGN_ALLOWED_HOSTS } : {}),
    });
  } catch (err) {
    if (!(err instanceof AssetError)) throw err;
    const detail = { message: err.message, action: err.actionName, asset: err.assetPath };
    throw new ApiError(err.kind === 'fetch' ? 'BadGateway' : 'InternalError', err.message, { details: [detail] });
  }
  try {
    return await buildTarball(files.map((f) => ({ path: f.path, mode: f.mode, content: f.content })));
  } catch (err) {
    if (!(err instanceof TarPathError)) throw err;
    const owner = files.find((f) => f.path === err.path)?.actionName ?? 'unknown';
    const message = `Boot action ${owner}: ${err.message}`;
    throw new ApiError('InternalError', message, { details: [{ message, action: owner, asset: err.path }] });
  }
}
