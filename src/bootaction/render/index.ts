/**
 * Boot action rendering: the files of one node's boot actions, as Drydock's
 * BootAction.render_assets, and its package list, as Drydock's
 * Orchestrator.find_node_package_lists.
 */
import { ulid } from 'ulid';
import type { SiteModel } from '../../design/model.ts';
import { toHex } from '../../core/digest.ts';
import { packageListAsset, renderFileAsset, type AssetScope } from './asset.ts';
import { actionContext, nodeContext } from './context.ts';
import type { LocationFetchOptions } from './location.ts';
import { emptyPackageList, type PackageList } from './package-list.ts';
import type { RenderedFile, RenderRequest } from './types.ts';

export type { RenderAction, RenderedFile, RenderRequest } from './types.ts';
export { AssetError } from './errors.ts';
export { templateContext, nodeContext, actionContext } from './context.ts';
export type { LocationFetchOptions } from './location.ts';
export type { PackageList } from './package-list.ts';

/**
 * Renders the assets of type `assetType` of every action in `req.actions`,
 * in design order (actions, then assets within each). Locations are fetched
 * concurrently; if any asset fails, the first failing one in design order is
 * thrown as an AssetError and nothing is returned (never a partial set).
 */
export async function renderAssets(req: RenderRequest): Promise<RenderedFile[]> {
  const node = nodeContext(req.site, req.node);
  const fetchOptions = fetchOptionsOf(req);
  const secrets = req.actions.map((a) => a.actionKey);
  const jobs: Array<Promise<RenderedFile>> = [];
  for (const { action, actionId, actionKey } of req.actions) {
    const context = { node, action: actionContext({ actionId, actionKey, reportUrl: req.reportUrl, designRef: req.designRef }) };
    action.assets.forEach((asset, index) => {
      if (asset.type !== req.assetType) return;
      jobs.push(renderFileAsset({ actionName: action.name, index, asset, context, fetch: fetchOptions, secrets }));
    });
  }
  return settleInOrder(jobs);
}

/** Waits for every job, then throws the first failure in order, so the error does not depend on timing. */
async function settleInOrder<T>(jobs: Array<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(jobs);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<T>).value);
}

function fetchOptionsOf(o: LocationFetchOptions): LocationFetchOptions {
  return {
    fetch: o.fetch,
    timeoutMs: o.timeoutMs,
    maxBytes: o.maxBytes,
    ...(o.retries !== undefined ? { retries: o.retries } : {}),
    ...(o.allowHosts ? { allowHosts: o.allowHosts } : {}),
    ...(o.serviceToken ? { serviceToken: o.serviceToken } : {}),
  };
}

export interface PackageListOptions extends LocationFetchOptions {
  /** For `action.design_ref` in a location template. */
  designRef?: string;
  /** For `action.report_url` in a location template. */
  reportUrl?: string;
}

/**
 * Every package the `pkg_list` assets of the boot actions targeting the node
 * ask for, merged in design order (a later action's version wins). As in
 * Drydock, location templates see a throw-away action id and key: a package
 * list is compiled before the node's boot action context exists.
 * An unknown node gets an empty list.
 */
export async function packageListFor(site: SiteModel, nodeName: string, options: PackageListOptions): Promise<PackageList> {
  const node = site.nodes.get(nodeName);
  if (!node) return emptyPackageList();
  const nodeCtx = nodeContext(site, node);
  const fetchOptions = fetchOptionsOf(options);
  const jobs: Array<Promise<PackageList>> = [];
  for (const action of site.bootActions.values()) {
    if (!action.targetNodes.includes(nodeName)) continue;
    const actionKey = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const context = {
      node: nodeCtx,
      action: actionContext({ actionId: ulid(), actionKey, reportUrl: options.reportUrl ?? '', designRef: options.designRef ?? '' }),
    };
    action.assets.forEach((asset, index) => {
      if (asset.type !== 'pkg_list') return;
      const scope: AssetScope = { actionName: action.name, index, asset, context, fetch: fetchOptions, secrets: [actionKey] };
      jobs.push(packageListAsset(scope));
    });
  }
  const merged = emptyPackageList();
  for (const list of await settleInOrder(jobs)) for (const [name, version] of Object.entries(list)) merged[name] = version;
  return merged;
}
