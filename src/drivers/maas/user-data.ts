import { stringify } from 'yaml';
import type { BootActionDelivery } from '../types.ts';

/** MAAS_BOOTACTION_KEY_DELIVERY: how a deploying node gets its boot action key. */
export type KeyDelivery = 'tag' | 'user_data' | 'both';

/** Where the node finds its key in its user data (root only). */
export const NODE_KEY_PATH = '/var/lib/drydock/bootaction.key';

/**
 * The deployment's cloud-config: the node's packages (Drydock's
 * `packages`, a name or [name, version]) and, unless the key goes by tag
 * only, the node key as a root-only file (cloud-init's write_files). Null
 * when there is nothing to say (Drydock then sends no user data).
 */
export function cloudConfigFor(payload: BootActionDelivery | null, delivery: KeyDelivery): string | null {
  const config: Record<string, unknown> = {};
  const packages = Object.entries(payload?.packages ?? {}).map(([name, version]) => (version ? [name, version] : name));
  if (packages.length > 0) config.packages = packages;
  if (payload && delivery !== 'tag') {
    // One line with its newline: Drydock's Go baclient reads the key file with ReadString('\n').
    config.write_files = [{ path: NODE_KEY_PATH, permissions: '0600', owner: 'root:root', content: `${payload.nodeKey}\n` }];
  }
  if (Object.keys(config).length === 0) return null;
  return `#cloud-config\n${stringify(config)}`;
}

/** Base64 of the UTF-8 text, once (MAAS decodes deploy's user_data once). */
export function base64Of(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}
