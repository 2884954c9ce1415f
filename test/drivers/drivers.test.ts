import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { createDrivers } from '../../src/drivers/index.ts';
import { createManualOobDriver } from '../../src/drivers/manual/oob-driver.ts';
import { driverProbes } from '../../src/services/driver-probes.ts';
import { openLab } from './lab.ts';

describe('createDrivers', () => {
  it('enables the fake lab pair and no Kubernetes driver by default', () => {
    const drivers = createDrivers(loadConfig({}));
    expect(drivers.node.name).toBe('fake');
    expect(drivers.oob.map((d) => d.name)).toEqual(['fake']);
    expect(drivers.oob[0]?.oobTypes).toEqual(['ipmi', 'redfish', 'libvirt', 'manual', 'fake']);
    expect(drivers.kubernetes).toBeNull();
  });

  it('leaves manual nodes to the manual driver when both are enabled, each driver once', () => {
    const drivers = createDrivers(loadConfig({ OOB_DRIVER: 'manual,fake,manual' }));
    expect(drivers.oob.map((d) => [d.name, d.oobTypes])).toEqual([
      ['manual', ['manual']],
      ['fake', ['ipmi', 'redfish', 'libvirt', 'fake']],
    ]);
  });

  it('gives each driver the actions Drydock assigns to its kind', () => {
    const drivers = createDrivers(loadConfig({ OOB_DRIVER: 'fake,manual' }));
    for (const oob of drivers.oob) {
      expect([...oob.actions].sort()).toEqual(
        ['interrogate_oob', 'power_cycle_node', 'power_off_node', 'power_on_node', 'set_node_boot', 'validate_oob_services'],
      );
    }
    expect(drivers.node.actions.size).toBe(12);
  });
});

describe('manual OOB driver', () => {
  it('answers every OOB action done at once, telling the operator what to do by hand', async () => {
    const lab = await openLab();
    const manual = createManualOobDriver();
    const node = lab.nodeOf('east-ctl01');
    expect(await manual.run(lab.ctx, 'power_cycle_node', node)).toEqual({
      state: 'done',
      detail: 'Manual OOB: an operator must power cycle node east-ctl01 by hand.',
    });
    expect(await manual.run(lab.ctx, 'set_node_boot', node)).toMatchObject({ state: 'done', detail: expect.stringContaining('set to PXE boot node east-ctl01') });
    for (const a of ['power_on_node', 'power_off_node', 'interrogate_oob'] as const) {
      expect(await manual.run(lab.ctx, a, node)).toMatchObject({ state: 'done' });
    }
    expect(await manual.run(lab.ctx, 'validate_oob_services', null)).toMatchObject({ state: 'done' });
    // It touches no machine.
    expect(await lab.machine('east-ctl01')).toBeUndefined();
  });

  it('refuses node driver actions', async () => {
    const lab = await openLab();
    expect(await createManualOobDriver().run(lab.ctx, 'deploy_node', lab.nodeOf('east-ctl01'))).toMatchObject({ state: 'failed' });
  });
});

describe('driver health probes', () => {
  it('asks each enabled driver\'s health() and never touches the database', async () => {
    const drivers = createDrivers(loadConfig({ OOB_DRIVER: 'fake,manual' }));
    const forbidden = new Proxy({}, {
      get(_t, prop) {
        throw new Error(`health touched db.${String(prop)}`);
      },
    });
    const lab = await openLab();
    const probes = driverProbes(drivers, { ...lab.ctx, db: forbidden as typeof lab.ctx.db });
    expect(probes.map((p) => p.name)).toEqual(['node driver fake', 'oob driver fake', 'oob driver manual']);
    for (const p of probes) expect(typeof (await p.check())).toBe('string');
  });

  it('reports a failing driver through its probe', async () => {
    const lab = await openLab();
    const drivers = createDrivers(lab.ctx.config);
    drivers.node = { ...drivers.node, health: () => Promise.reject(new Error('MAAS unreachable')) };
    const [node] = driverProbes(drivers, lab.ctx);
    await expect(node?.check()).rejects.toThrow('MAAS unreachable');
  });
});
