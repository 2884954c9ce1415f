import { loadConfig } from '../../../src/core/config.ts';
import { createLogger } from '../../../src/core/log.ts';
import type { BaremetalNode } from '../../../src/design/model.ts';
import type { DriverContext } from '../../../src/drivers/types.ts';
import { kubernetesFetchFor } from '../../../src/runtime/kubernetes-fetch.ts';
import { makeNode, siteOf } from '../../helpers/site-model.ts';

export const K8S_TOKEN = 'k8s-bearer-token-5521';

/** A design node whose owner_data (Drydock's node labels) is `labels`. */
export const nodeWith = (name: string, labels: Record<string, string>): BaremetalNode =>
  makeNode(name, { ownerData: labels, labels });

/** What the orchestrator hands a driver call, its fetch built as the Node runtime builds it. */
export async function contextFor(nodes: BaremetalNode[], env: Record<string, string>) {
  const lines: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => lines.push(line) });
  const config = loadConfig({ AUTH_MODE: 'none', KUBERNETES_REQUEST_TIMEOUT_MS: '2000', ...env });
  const ctx: DriverContext = {
    db: undefined as never, // the Kubernetes drivers keep nothing in the database
    config,
    clock: () => new Date(),
    fetch: (await kubernetesFetchFor(config)) ?? fetch,
    logger,
    site: siteOf({ nodes }),
    taskId: 'task-1',
    designRef: 'test',
  };
  return { ctx, lines };
}
