import { sha256Hex } from '../../auth/digest.ts';

/**
 * Bump when rendering or tarball building changes the bytes the same inputs
 * give, so a process never serves a tarball an older rule built (the cache
 * is per process, but an ETag outlives it in a node's hands).
 */
const RENDER_VERSION = 1;

export interface TarballInputs {
  /** The pinned design's content hash. */
  contentHash: string;
  nodeName: string;
  assetType: 'unit' | 'file';
  reportUrl: string;
  /** The node key the node presented: with the action ids it fixes every action key (HMAC). */
  nodeKey: string;
  actionIds: readonly string[];
}

/**
 * A node's tarball depends only on these inputs (and on a location's
 * content, which is why those tarballs expire): their SHA-256 is the
 * tarball's cache key. The key material goes into the hash, never into the
 * cache in clear.
 */
export function tarballAddress(inputs: TarballInputs): Promise<string> {
  const ids = [...inputs.actionIds].sort();
  return sha256Hex(
    JSON.stringify([RENDER_VERSION, inputs.contentHash, inputs.nodeName, inputs.assetType, inputs.reportUrl, inputs.nodeKey, ids]),
  );
}
