import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/core/config.ts';
import { createLogger } from '../../../src/core/log.ts';
import { createRedfishOobDriver } from '../../../src/drivers/redfish/driver.ts';
import { redfishFetchFor } from '../../../src/runtime/redfish-fetch.ts';
import { siteOf } from '../../helpers/site-model.ts';
import { harness, scriptedDrivers } from '../../orchestrator/harness.ts';
import { nodeOf } from './context.ts';
import { startEmulator, type Emulator } from './emulator.ts';
import { selfSignedCert, type TestCert } from './tls-cert.ts';

let cert: TestCert;
const bmcs: Emulator[] = [];

beforeAll(() => {
  cert = selfSignedCert();
});
afterAll(async () => {
  await Promise.all(bmcs.map((b) => b.close()));
  cert.remove();
});

describe('the redfish driver under the orchestrator', () => {
  // Drydock's PowerCycleNode `break`s out of its loop over the nodes when one
  // fails to power down, so the nodes after it are never cycled. Here each
  // node is its own call: one BMC refusing its login fails that node only.
  it('power cycles the other nodes when one node\'s BMC fails (Drydock stops at the first failure)', async () => {
    const tls = { key: cert.key, cert: cert.cert };
    const refusing = await startEmulator({ tls, power: 'On' });
    const good = await startEmulator({ tls, power: 'On' });
    bmcs.push(refusing, good);
    const wrong = 'wrong-credential-981';
    const site = siteOf({ nodes: [nodeOf('n1', refusing, { credential: wrong }), nodeOf('n2', good)] });
    const env = { OOB_DRIVER: 'redfish', REDFISH_CA_FILE: cert.certFile, OOB_POWER_POLL_MS: '50' };
    const bmcFetch = await redfishFetchFor(loadConfig(env), createLogger({ level: 'error', sink: () => {} }));
    const { drivers } = scriptedDrivers({});
    const h = await harness({
      drivers: { ...drivers, oob: [createRedfishOobDriver({ fetch: bmcFetch })] },
      sites: { 'design://redfish': site },
      env,
    });
    const id = await h.create({ action: 'prepare_nodes', designRef: 'design://redfish', createdBy: 'test' });
    await h.drain();
    const task = await h.task(id);
    expect(task.resultSuccesses).toEqual(['n2']);
    expect(task.resultFailures).toEqual(['n1']);
    expect(good.systems[0]!.resets).toEqual(['ForceOff', 'On']);
    expect(good.systems[0]!.boot).toEqual({ BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' });
    expect(refusing.systems[0]!.resets).toEqual([]);
    const all = [...(await h.messages(id))];
    for (const sub of await h.subtasks(id)) all.push(...(await h.messages(sub.taskId)));
    const n1 = all.filter((m) => m.error && m.message.includes('n1')).map((m) => m.message);
    expect(n1.join('\n')).toContain(`node n1, BMC ${refusing.url}: the BMC refused the login of account admin (HTTP 401`);
    expect(JSON.stringify(all)).not.toContain(wrong);
  });
});
