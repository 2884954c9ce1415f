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
import { bootActionStatus } from '../../db/schema/bootactions.ts';
import type { BaremetalNode, SiteModel } from '../../design/model.ts';
import { ApiError } from '../../core/errors.ts';
import { loadPinned, loadSite, requireSite } from '../../design/site-design.ts';
import type { AuthenticatedNode } from './authenticate.ts';
import { tarballAddress } from './tarball-address.ts';
import type { Tarball } from './tarball-cache.ts';
import type { ServiceContext } from '../context.ts';
import { REVOKED_KEY_DIGEST } from '../../bootaction/records.ts';

/** `tarballs`: rendered tarballs by content address; null: every request renders. */
type AssetsContext = Pick<ServiceContext, 'db' | 'clock' | 'siteDesign' | 'fetch' | 'config' | 'tarballs'>;

export type AssetType = 'unit' | 'file';

async function siteOf(ctx: AssetsContext, node: AuthenticatedNode) {
  let design;
  if (node.designContentHash) {
    // The deploy's pinned content: no boot data request fetches a design.
    try {
      design = await loadPinned(ctx.siteDesign, ctx.db, node.designContentHash);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ApiError('InternalError', `The design of task ${node.taskId} could not be read: ${reason}`);
    }
  } else {
    // A context made before tasks pinned their designs: its design_ref, as then.
    try {
      design = await loadSite(ctx.siteDesign, node.designRef);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new ApiError('BadGateway', `The design of task ${node.taskId} could not be fetched: ${reason}`);
    }
  }
  if (design.loadMessages.some((m) => m.error)) {
    throw new ApiError('InternalError', `The design of task ${node.taskId} no longer loads`);
  }
  return requireSite(design);
}

interface ActionRow {
  actionId: string;
  actionName: string;
}

/** The node's current (not revoked) action records of its deploy task. */
function actionRows(ctx: AssetsContext, node: AuthenticatedNode): Promise<ActionRow[]> {
  return ctx.db
    .select({ actionId: bootActionStatus.actionId, actionName: bootActionStatus.actionName })
    .from(bootActionStatus)
    .where(
      and(
        eq(bootActionStatus.nodeName, node.nodeName),
        eq(bootActionStatus.taskId, node.taskId),
        ne(bootActionStatus.actionKeyDigest, REVOKED_KEY_DIGEST),
      ),
    );
}

async function actionsOf(node: AuthenticatedNode, site: SiteModel, rows: ActionRow[]): Promise<RenderAction[]> {
  const idByName = new Map(rows.map((r) => [r.actionName, r.actionId]));
  const actions: RenderAction[] = [];
  for (const action of site.bootActions.values()) {
    const actionId = idByName.get(action.name);
    if (actionId === undefined || !action.targetNodes.includes(node.nodeName)) continue;
    actions.push({ action, actionId, actionKey: await deriveActionKey(node.nodeKey, actionId) });
  }
  return actions;
}

/**
 * The node's rendered assets of one type as a tarball, with its strong ETag.
 * A tarball of a pinned design is kept by its content address
 * (tarball-address.ts), so a repeat request, an If-None-Match included, is
 * answered without loading the design, rendering or compressing.
 */
export async function nodeAssetTarball(
  ctx: AssetsContext,
  node: AuthenticatedNode,
  assetType: AssetType,
  reportUrl: string,
): Promise<Tarball> {
  const now = ctx.clock().getTime();
  const address =
    node.designContentHash && ctx.tarballs
      ? await tarballAddress({
          contentHash: node.designContentHash,
          nodeName: node.nodeName,
          assetType,
          reportUrl,
          taskId: node.taskId,
          nodeKey: node.nodeKey,
        })
      : null;
  const hit = address === null ? undefined : ctx.tarballs?.get(address, now);
  if (hit) return hit;
  const [site, rows] = await Promise.all([siteOf(ctx, node), actionRows(ctx, node)]);
  const baremetal = site.nodes.get(node.nodeName);
  if (!baremetal) throw new ApiError('InternalError', `Node ${node.nodeName} is not in the design of task ${node.taskId}`);
  const actions = await actionsOf(node, site, rows);
  const tarball = await render(ctx, node, { site, node: baremetal, actions, assetType, reportUrl });
  if (address !== null && ctx.tarballs) {
    // A location's content lives elsewhere and may change: such a tarball is kept only briefly.
    const remote = actions.some((a) => a.action.assets.some((x) => x.type === assetType && x.location));
    const ttlMs = ctx.config.BOOTACTION_LOCATION_CACHE_SECONDS * 1000;
    if (!remote) ctx.tarballs.set(address, tarball, null);
    else if (ttlMs > 0) ctx.tarballs.set(address, tarball, now + ttlMs);
  }
  return tarball;
}

interface RenderInput {
  site: SiteModel;
  node: BaremetalNode;
  actions: RenderAction[];
  assetType: AssetType;
  reportUrl: string;
}

async function render(ctx: AssetsContext, node: AuthenticatedNode, input: RenderInput): Promise<Tarball> {
  let files;
  try {
    files = await renderAssets({
      ...input,
      designRef: node.designRef,
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
