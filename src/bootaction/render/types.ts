import type { BaremetalNode, BootAction, SiteModel } from '../../design/model.ts';

/** One boot action targeting the node, with its deployment's id and key. */
export interface RenderAction {
  action: BootAction;
  /** ULID, as the node sees it in `action.action_id` */
  actionId: string;
  /** hex, as the node sees it in `action.action_key` */
  actionKey: string;
}

export interface RenderRequest {
  site: SiteModel;
  node: BaremetalNode;
  designRef: string;
  reportUrl: string;
  /** The boot actions targeting this node, in design order. */
  actions: RenderAction[];
  assetType: 'unit' | 'file';
  fetch: typeof fetch;
  /** One deadline per fetched location, retries included. */
  timeoutMs: number;
  /** The largest location body accepted. */
  maxBytes: number;
  /** For deckhand+ and promenade+ locations. */
  serviceToken?: () => Promise<string>;
  /** Further attempts after the first on network errors, 5xx and 429 (default 2). */
  retries?: number;
  /** When set, locations (and their redirects) may only reach these hostnames. */
  allowHosts?: string[];
}

export interface RenderedFile {
  path: string;
  /** e.g. 0o600 */
  mode: number;
  content: Uint8Array;
  actionName: string;
}
