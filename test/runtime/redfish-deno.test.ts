import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redfishDesign } from '../drivers/redfish/design.ts';
import { startEmulator, type Emulator } from '../drivers/redfish/emulator.ts';
import { selfSignedCert, type TestCert } from '../drivers/redfish/tls-cert.ts';
import { DENO_ENTRY, runToExit, startServer, type Server } from '../helpers/spawn.ts';

// `npm run start:deno` with OOB_DRIVER=redfish: REDFISH_CA_FILE goes through
// Deno.createHttpClient({ caCerts }); REDFISH_VERIFY_TLS=false cannot be
// honoured per client there and stops start-up. A cold Deno start is slow.

const CREDENTIAL = 'deno-bmc-credential-5521';
let dir: string;
let cert: TestCert;
let bmc: Emulator;
let server: Server | undefined;

beforeAll(async () => {
  cert = selfSignedCert();
  bmc = await startEmulator({ tls: { key: cert.key, cert: cert.cert }, credential: CREDENTIAL, power: 'On', powerDelayMs: 200 });
  dir = await mkdtemp(join(tmpdir(), 'drydock-redfish-deno-'));
  await mkdir(join(dir, 'designs'));
  await writeFile(join(dir, 'designs', 'site.yaml'), await redfishDesign(new Map([['east-ctl01', bmc.port]]), CREDENTIAL));
}, 30_000);

afterAll(async () => {
  await server?.stop();
  await bmc?.close();
  cert?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('Redfish on Deno', { timeout: 120_000 }, () => {
  it('stops start-up on REDFISH_VERIFY_TLS=false, naming what works instead', async () => {
    const { code, output } = await runToExit(
      DENO_ENTRY,
      { PORT: '0', DATABASE_URL: ':memory:', AUTH_MODE: 'none', OOB_DRIVER: 'redfish', REDFISH_VERIFY_TLS: 'false' },
      90_000,
    );
    expect(code).toBe(1);
    expect(output).toContain('invalid configuration: REDFISH_VERIFY_TLS: Deno cannot skip certificate checks for one client');
    expect(output).toContain('--unsafely-ignore-certificate-errors');
  });

  it('reaches a BMC with a self-signed certificate through REDFISH_CA_FILE', async () => {
    server = await startServer(
      DENO_ENTRY,
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dir, 'd.db')}`,
        AUTH_MODE: 'none',
        DESIGN_FILE_ROOT: join(dir, 'designs'),
        OOB_DRIVER: 'redfish,fake',
        REDFISH_CA_FILE: cert.certFile,
        OOB_POWER_POLL_MS: '100',
        FAKE_LAB_STEP_MS: '50',
        TASK_POLL_INTERVAL_SECONDS: '1',
      },
      90_000,
    );
    const res = await fetch(`${server.url}/api/v1.0/tasks`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action: 'prepare_nodes', design_ref: `file://${join(dir, 'designs', 'site.yaml')}`, node_filter: { filter_set_type: 'union', filter_set: [{ filter_type: 'union', node_names: ['east-ctl01'] }] } }),
    });
    expect(res.status).toBe(201);
    const id = ((await res.json()) as { task_id: string }).task_id;
    let task: { status: string; result: { status: string; successes: string[] } } | undefined;
    await expect
      .poll(async () => {
        task = (await (await fetch(`${server!.url}/api/v1.0/tasks/${id}`)).json()) as typeof task;
        return task?.status;
      }, { timeout: 60_000, interval: 250 })
      .toBe('complete');
    expect(task?.result, server.output()).toMatchObject({ status: 'success', successes: ['east-ctl01'] });
    expect(bmc.systems[0]!.power).toBe('On');
    expect(bmc.systems[0]!.resets).toEqual(['ForceOff', 'On']);
    expect(bmc.systems[0]!.boot).toEqual({ BootSourceOverrideEnabled: 'Once', BootSourceOverrideTarget: 'Pxe' });
    expect(server.output()).not.toContain(CREDENTIAL);
  });
});
