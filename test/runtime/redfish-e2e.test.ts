import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createClient } from '@libsql/client';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../drivers/redfish/emulator.ts';
import { selfSignedCert, type TestCert } from '../drivers/redfish/tls-cert.ts';
import { NODE_ENTRY, type Server } from '../helpers/spawn.ts';
import { redfishDesign } from '../drivers/redfish/design.ts';
import { e2eApi, tablesHolding, startTokenServer } from '../helpers/e2e-api.ts';

// A prepare with real (emulated) BMCs and no fake OOB, through the public API: `tsx src/node.ts` with
// OOB_DRIVER=redfish and REDFISH_CA_FILE, a design whose three nodes have
// Redfish BMCs (emulators over TLS with a certificate made for this run, one
// per variant: session, Basic only with 204 PATCH answers, slow power), and
// the fake node driver for the MAAS side.

const CREDENTIAL = 'e2e-bmc-credential-7731';
const NODES = ['east-ctl01', 'east-cmp01', 'east-cmp02'];

const WAIT_MS = 60_000;

let dir: string;
let cert: TestCert;
let server: Server | undefined;
let token = '';
const bmcs = new Map<string, Emulator>();

beforeAll(async () => {
  cert = selfSignedCert();
  const tls = { key: cert.key, cert: cert.cert };
  const common = { tls, credential: CREDENTIAL, power: 'Off' as const };
  bmcs.set('east-ctl01', await startEmulator({ ...common, auth: 'session' }));
  bmcs.set('east-cmp01', await startEmulator({ ...common, auth: 'basic', patchStatus: 204, power: 'On' }));
  bmcs.set('east-cmp02', await startEmulator({ ...common, auth: 'session', powerDelayMs: 400, power: 'On' }));
  dir = await mkdtemp(join(tmpdir(), 'drydock-redfish-e2e-'));
  await mkdir(join(dir, 'designs'));
  await writeFile(join(dir, 'designs', 'site.yaml'), await redfishDesign(new Map([...bmcs].map(([n, b]) => [n, b.port])), CREDENTIAL));
  ({ server, token } = await startTokenServer(NODE_ENTRY, dir, {
    OOB_DRIVER: 'redfish',
    REDFISH_CA_FILE: cert.certFile,
    OOB_POWER_POLL_MS: '100',
    FAKE_LAB_STEP_MS: '50',
    TASK_POLL_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'debug',
  }));
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await Promise.all([...bmcs.values()].map((b) => b.close()));
  cert?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const { api, runTask } = e2eApi(() => server!, () => token, WAIT_MS);

describe('prepare_nodes against Redfish BMCs (tsx src/node.ts)', { timeout: 2 * WAIT_MS }, () => {
  it('says in /health/extended that the redfish driver is enabled', async () => {
    const body = (await (await api('/health/extended')).json()) as { details: { messageList: Array<{ name: string; error: boolean }> } };
    expect(body.details.messageList).toContainEqual(expect.objectContaining({ name: 'oob driver redfish', error: false }));
  });

  it('leaves every BMC powered on with a one-time network boot set', async () => {
    const task = await runTask('prepare_nodes', `file://${join(dir, 'designs', 'site.yaml')}`);
    expect(task.result.status, server!.output()).toBe('success');
    expect([...task.result.successes].sort()).toEqual([...NODES].sort());
    for (const name of NODES) {
      const bmc = bmcs.get(name)!;
      expect(bmc.systems[0]!.power, name).toBe('On');
      expect(bmc.systems[0]!.boot, name).toEqual({ BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' });
      expect(bmc.sessions.size, name).toBe(0);
    }
    // Off first for the nodes that were on (a power cycle); the one that was off only powers on.
    expect(bmcs.get('east-ctl01')!.systems[0]!.resets).toEqual(['On']);
    expect(bmcs.get('east-cmp01')!.systems[0]!.resets).toEqual(['ForceOff', 'On']);
    expect(bmcs.get('east-cmp02')!.systems[0]!.resets).toEqual(['ForceOff', 'On']);
  });

  // Designs are stored sealed (DESIGN_KEY_FILE's key), so no table holds
  // the credential in clear: not the pinned design, not what the drivers
  // and the orchestrator write.
  it('keeps the BMC credential out of the log and out of every table', async () => {
    expect(server!.output()).not.toContain(CREDENTIAL);
    expect(await tablesHolding(join(dir, 'd.db'), [CREDENTIAL])).toEqual([]);
    const db = createClient({ url: `file:${join(dir, 'd.db')}` });
    try {
      expect(Number((await db.execute('select count(*) as n from designs')).rows[0]?.n)).toBe(1);
      expect(Number((await db.execute('select count(*) as n from result_messages')).rows[0]?.n)).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
