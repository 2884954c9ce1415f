import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/core/config.ts';
import { createDrivers } from '../../src/drivers/index.ts';
import { createLogger } from '../../src/core/log.ts';
import { createServices } from '../../src/compose.ts';
import { storeDesign } from '../../src/services/designs.ts';
import { memoryDatabase } from '../helpers/app.ts';
import { harness, manualClock } from './harness.ts';

export const PUBLIC_URL = 'http://drydock.test';
const SITE = fileURLToPath(new URL('../fixtures/designs/site.yaml', import.meta.url));

/**
 * The real fake lab (FAKE_LAB_STEP_MS=0) with the service's app in the same
 * process: the simulated nodes' requests to PUBLIC_URL go to app.request,
 * so deploys run end to end over HTTP without a socket. One clock for the
 * orchestrator and the app, so key expiry follows the tasks' time.
 */
export async function httpLab(options: { env?: Record<string, string>; design?: string; publicUrl?: string } = {}) {
  const publicUrl = options.publicUrl ?? PUBLIC_URL;
  const env = { AUTH_MODE: 'none', FAKE_LAB_STEP_MS: '0', PUBLIC_URL: publicUrl, ...options.env };
  const config = loadConfig(env);
  const database = await memoryDatabase();
  const clock = manualClock();
  const logger = createLogger({ level: 'error', sink: () => {} });
  const services = createServices({ config, database, logger, clock: clock.now, designKey: 'ephemeral' });
  const app = createApp(services);
  const requests: string[] = [];
  // Like a reverse proxy in front of the service: a path prefix of PUBLIC_URL is taken off.
  const prefix = new URL(publicUrl).pathname.replace(/\/+$/, '');
  const routed: typeof fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(`${publicUrl.replace(/\/+$/, '')}/`)) return fetch(request);
    const url = new URL(request.url);
    url.pathname = url.pathname.slice(prefix.length);
    requests.push(`${request.method} ${url.pathname}`);
    return app.request(new Request(url, request));
  };
  const h = await harness({ drivers: createDrivers(config), siteDesign: services.siteDesign, database, env, clock, fetch: routed });
  const text = options.design ?? (await readFile(SITE, 'utf8'));
  const stored = await storeDesign({ db: database.db, clock: clock.now, siteDesign: services.siteDesign }, { text, format: 'yaml', createdBy: 'test' });
  return { h, app, requests, fetch: routed, ref: `design://${stored.designId}` };
}

/** prepare_nodes then deploy_nodes; answers the deploy task's id. */
export async function prepareAndDeploy(lab: Awaited<ReturnType<typeof httpLab>>): Promise<string> {
  await lab.h.create({ action: 'prepare_nodes', designRef: lab.ref });
  await lab.h.drain();
  const deploy = await lab.h.create({ action: 'deploy_nodes', designRef: lab.ref });
  await lab.h.drain();
  return deploy;
}
