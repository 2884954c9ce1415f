import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker, startWorker, type WorkerBundle } from '../helpers/worker-bundle.ts';

// The real worker bundle in workerd: the Redfish driver runs there with the
// global fetch only; a TLS setting it cannot honour, or a driver that needs
// UDP or child processes (ipmi, libvirt), stops start-up.

let bundle: WorkerBundle;

beforeAll(async () => {
  bundle = await bundleWorker();
});
afterAll(async () => {
  await bundle?.cleanup();
});

describe('Redfish on Workers', () => {
  it('keeps undici (the Node TLS fetch) out of the bundle', async () => {
    expect(await readFile(bundle.scriptPath, 'utf8')).not.toMatch(/undici/i);
  });

  it.each([
    ['REDFISH_VERIFY_TLS', 'false'],
    ['REDFISH_CA_FILE', '/etc/ssl/bmc-ca.pem'],
  ])('refuses %s=%s at start, naming the site agent as the way', async (name, value) => {
    const worker = await startWorker(bundle.scriptPath, { AUTH_MODE: 'none', OOB_DRIVER: 'redfish', [name]: value, LOG_LEVEL: 'warn' });
    try {
      const res = await worker.fetch('/api/v1.0/health');
      expect(res.status).toBe(500);
      const body = (await res.json()) as { message: string };
      expect(body.message).toBe(
        `invalid configuration: ${name}: Workers cannot trust a private CA or skip certificate checks; reach BMCs with private certificates ` +
          'through the site agent (DRIVER_LOCATION=agent), or give them certificates from a public CA',
      );
    } finally {
      await worker.dispose();
    }
  });

  it.each(['ipmi', 'libvirt', 'redfish,ipmi,libvirt'])('refuses OOB_DRIVER=%s at start: no UDP or child processes there', async (drivers) => {
    const worker = await startWorker(bundle.scriptPath, { AUTH_MODE: 'none', OOB_DRIVER: drivers, LOG_LEVEL: 'warn' });
    try {
      const res = await worker.fetch('/api/v1.0/health');
      expect(res.status).toBe(500);
      const body = (await res.json()) as { message: string };
      const named = drivers.split(',').filter((d) => d !== 'redfish').join(' and ');
      expect(body.message).toBe(
        `invalid configuration: OOB_DRIVER: ${named} cannot run on Workers (IPMI needs UDP and ipmitool, libvirt needs virsh; ` +
          'a Worker has neither); run this service on Node or Deno inside the site, or reach those BMCs through the site agent (DRIVER_LOCATION=agent)',
      );
    } finally {
      await worker.dispose();
    }
  });

  it('takes ipmi, libvirt and a MAAS node driver when every driver call runs at the site agents (DRIVER_LOCATION=agent), with no MAAS key at the edge', async () => {
    const worker = await startWorker(bundle.scriptPath, {
      AUTH_MODE: 'none', DRIVER_LOCATION: 'agent', NODE_DRIVER: 'maas', OOB_DRIVER: 'ipmi,libvirt', LOG_LEVEL: 'warn',
    });
    try {
      const res = await worker.fetch('/api/v1.0/health/extended');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { details: { messageList: Array<{ name: string; message: string }> } };
      expect(body.details.messageList.find((m) => m.name === 'oob driver ipmi')?.message).toContain('runs at the site agents');
    } finally {
      await worker.dispose();
    }
  });

  it('refuses to start without DESIGN_ENCRYPTION_KEY: designs hold BMC credentials and are stored sealed', async () => {
    const worker = await startWorker(bundle.scriptPath, { AUTH_MODE: 'none', OOB_DRIVER: 'redfish', DESIGN_ENCRYPTION_KEY: undefined, LOG_LEVEL: 'warn' });
    try {
      const res = await worker.fetch('/api/v1.0/health');
      expect(res.status).toBe(500);
      const body = (await res.json()) as { message: string };
      expect(body.message).toMatch(/^invalid configuration: DESIGN_ENCRYPTION_KEY: is required: .*wrangler secret put DESIGN_ENCRYPTION_KEY/);
    } finally {
      await worker.dispose();
    }
  });

  it('says in /health/extended that the redfish driver is enabled', async () => {
    const worker = await startWorker(bundle.scriptPath, { AUTH_MODE: 'none', OOB_DRIVER: 'redfish,manual', LOG_LEVEL: 'warn' });
    try {
      const res = await worker.fetch('/api/v1.0/health/extended');
      expect(res.status).toBe(200);
      const body = (await res.json()) as { details: { messageList: Array<{ name: string; message: string; error: boolean }> } };
      expect(body.details.messageList.find((m) => m.name === 'oob driver redfish')).toMatchObject({
        error: false,
        message: expect.stringContaining('redfish OOB driver enabled'),
      });
    } finally {
      await worker.dispose();
    }
  });
});
