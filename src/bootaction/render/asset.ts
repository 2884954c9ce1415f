/**
 * One asset through Drydock's BootActionAsset.render: the `location` is
 * rendered through its location pipeline and fetched, or the inline `data`
 * is taken as its UTF-8 bytes; then the data pipeline runs. Every failure
 * becomes an AssetError naming the boot action and the asset, with keys
 * masked.
 */
import type { BootActionAsset } from '../../design/model.ts';
import type { TemplateContext } from './context.ts';
import { AssetError, scrubSecrets, type AssetErrorKind } from './errors.ts';
import { fetchLocation, LocationError, type LocationFetchOptions } from './location.ts';
import { parsePackageList, PackageListError, type PackageList } from './package-list.ts';
import { decodeUtf8, encodeUtf8, executePipeline, SegmentError, toBytes, type PipelineValue } from '../../template/pipeline.ts';
import type { RenderedFile } from './types.ts';

export interface AssetScope {
  actionName: string;
  /** The asset's position in its boot action, to name an asset without a path. */
  index: number;
  asset: BootActionAsset;
  context: TemplateContext;
  fetch: LocationFetchOptions;
  /** Values no message may show (the action keys). */
  secrets: readonly string[];
}

/** Drydock: `permissions if permissions else 0o600`, so an explicit 000 also becomes 0600. */
export const DEFAULT_MODE = 0o600;

function fail(scope: AssetScope, kind: AssetErrorKind, reason: string): AssetError {
  return new AssetError(scope.actionName, scope.asset.path, kind, scrubSecrets(reason, scope.secrets), scope.index);
}

function runPipeline(scope: AssetScope, name: string, value: PipelineValue, pipeline: readonly string[]): PipelineValue {
  try {
    return executePipeline(value, pipeline, scope.context);
  } catch (err) {
    if (err instanceof SegmentError) throw fail(scope, 'render', `${name} segment ${err.segment} failed: ${err.message}`);
    throw err;
  }
}

async function fetchData(scope: AssetScope, location: string): Promise<Uint8Array> {
  let url = runPipeline(scope, 'location_pipeline', location, scope.asset.locationPipeline);
  if (typeof url !== 'string') {
    try {
      url = decodeUtf8(url);
    } catch {
      throw fail(scope, 'render', 'the location_pipeline produced bytes that are not UTF-8 text');
    }
  }
  try {
    return await fetchLocation(url, scope.fetch);
  } catch (err) {
    if (err instanceof LocationError) throw fail(scope, 'fetch', err.message);
    throw err;
  }
}

export async function renderFileAsset(scope: AssetScope): Promise<RenderedFile> {
  const { asset } = scope;
  if (asset.path === null) throw fail(scope, 'render', 'the asset has no path');
  let source: PipelineValue;
  if (asset.location !== null) source = await fetchData(scope, asset.location);
  else if (asset.data !== null) source = encodeUtf8(asset.data);
  else throw fail(scope, 'render', 'the asset has neither data nor a location');
  const value = runPipeline(scope, 'data_pipeline', source, asset.dataPipeline);
  return { path: asset.path, mode: asset.permissions || DEFAULT_MODE, content: toBytes(value), actionName: scope.actionName };
}

/** A pkg_list asset's packages: inline, or fetched from its location (no data pipeline, as Drydock). */
export async function packageListAsset(scope: AssetScope): Promise<PackageList> {
  const { asset } = scope;
  if (asset.location === null) return asset.packageList ?? {};
  const bytes = await fetchData(scope, asset.location);
  try {
    return parsePackageList(bytes);
  } catch (err) {
    if (err instanceof PackageListError) throw fail(scope, 'render', err.message);
    throw err;
  }
}
