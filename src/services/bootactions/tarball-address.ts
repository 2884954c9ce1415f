import { sha256Hex } from '../../core/digest.ts';

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
  /** The deploy task of the node's context. */
  taskId: string;
  /**
   * The node key the node presented. A context's node key is drawn fresh
   * (256 random bits) together with its action ids, and each action key is
   * HMAC(node key, action id): so task and node key fix the node's current
   * action ids and keys, and a hit needs no read of the action records.
   */
  nodeKey: string;
}

/**
 * A node's tarball depends only on these inputs (and on a location's
 * content, which is why those tarballs expire): their SHA-256 is the
 * tarball's cache key. The key material goes into the hash, never into the
 * cache in clear.
 */
export function tarballAddress(inputs: TarballInputs): Promise<string> {
  const { contentHash, nodeName, assetType, reportUrl, taskId, nodeKey } = inputs;
  return sha256Hex(JSON.stringify([RENDER_VERSION, contentHash, nodeName, assetType, reportUrl, taskId, nodeKey]));
}
