/**
 * A real BMC for tests: OpenIPMI's `ipmi_sim` on 127.0.0.1, on a free UDP
 * port, with one admin user, reached with ipmitool over lanplus.
 *
 *   const sim = await startIpmiSim({ powerDelayMs: 300 });
 *   // node: oob { type: ipmi, network: oob, account: sim.account,
 *   //   credential: sim.credential, port: sim.port }, address 127.0.0.1
 *   await sim.power();       // 'on' | 'off', as the simulated chassis has it
 *   await sim.bootDevice();  // 'none', 'pxe', … as last set through IPMI
 *   sim.bootFlags();         // the last boot flags request: { valid, persistent, device }
 *   await sim.stop();        // kills ipmi_sim, removes its temp dir (call in afterAll)
 *
 * The chassis lives on the simulator's side: ipmi_sim runs a generated
 * `chassis_control` script for every power and boot device get or set
 * (OpenIPMI lanserv/bmc_chassis.c, extcmd.c: `<script> <mc> get power boot`
 * answers `power:1`, `<script> <mc> set power "0"` changes it), which keeps
 * the state in files of the temp dir that the readers here look at. The
 * script also logs each call, so a test sees what the BMC was told to do.
 * ipmi_sim runs with `-d` and `debug msg`, so its stdout dumps each decoded
 * request; bootFlags() reads the Set System Boot Options (param 5) request
 * from it, the only place the once/persistent bits show (ipmi_sim hands the
 * script only the device).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FruProduct } from './fru.ts';
import { chassisScript, emuCommands, lanConf, lastBootFlags, type BootFlags } from './sim-config.ts';

export type { BootFlags } from './sim-config.ts';

export interface IpmiSimOptions {
  account?: string;
  credential?: string;
  /** The chassis power at start (default off). */
  initialPower?: 'on' | 'off';
  /** A power change shows this long after the command (default 0: at once). */
  powerDelayMs?: number;
  /** A chassis that takes power on commands and never comes on (power off still works). */
  ignorePowerOn?: boolean;
  /** FRU 0's product area, for `fru print 0`; null: the BMC has no FRU data. */
  fru?: FruProduct | null;
}


export interface IpmiSim {
  host: '127.0.0.1';
  port: number;
  account: string;
  credential: string;
  /** ipmi_sim's process id. */
  pid: number;
  power(): Promise<'on' | 'off'>;
  bootDevice(): Promise<string>;
  bootFlags(): BootFlags | null;
  /** What the chassis was told, in order: `get power`, `set power 1`, `set boot pxe`, … */
  chassisCalls(): Promise<string[]>;
  stop(): Promise<void>;
}

export const SIM_DEFAULT_FRU: FruProduct = { manufacturer: 'Acme Servers', product: 'EdgeBox 1U', version: 'R2', serial: 'SN-0042' };

// A test that dies before its afterAll must not leave a simulator behind.
const alive = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of alive) child.kill('SIGKILL');
});

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.bind(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}


function ipmitoolOnce(port: number, account: string, credential: string): Promise<boolean> {
  const args = ['-I', 'lanplus', '-C', '3', '-N', '1', '-R', '1', '-H', '127.0.0.1', '-p', String(port), '-U', account, '-E', 'mc', 'info'];
  return new Promise((resolve) => {
    execFile('ipmitool', args, { env: { ...process.env, IPMI_PASSWORD: credential }, timeout: 5000 }, (err) => resolve(!err));
  });
}

async function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return true;
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** Starts ipmi_sim and waits until it answers ipmitool. */
export async function startIpmiSim(options: IpmiSimOptions = {}): Promise<IpmiSim> {
  const account = options.account ?? 'admin';
  const credential = options.credential ?? 'ipmi-secret-7';
  const dir = await mkdtemp(join(tmpdir(), 'ipmi-sim-'));
  const script = join(dir, 'chassis-control');
  await mkdir(join(dir, 'state'));
  await writeFile(join(dir, 'power'), options.initialPower === 'on' ? '1\n' : '0\n');
  await writeFile(join(dir, 'boot'), 'none\n');
  await writeFile(join(dir, 'calls'), '');
  await writeFile(script, chassisScript(dir, options.powerDelayMs ?? 0, options.ignorePowerOn ?? false));
  await chmod(script, 0o755);
  const port = await freeUdpPort();
  await writeFile(join(dir, 'lan.conf'), lanConf(port, script, account, credential));
  await writeFile(join(dir, 'sim.emu'), emuCommands(options.fru === undefined ? SIM_DEFAULT_FRU : options.fru));

  // Not -n: its stdout carries the `debug msg` dump; stdin stays open (the console) until stop().
  const child = spawn('ipmi_sim', ['-d', '-p', '-c', join(dir, 'lan.conf'), '-f', join(dir, 'sim.emu'), '-s', join(dir, 'state')], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.on('error', () => {});
  alive.add(child);
  child.once('exit', () => alive.delete(child));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 2000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 2000);
      }
    }
    await rm(dir, { recursive: true, force: true });
  };

  const started = Date.now();
  while (!(await ipmitoolOnce(port, account, credential))) {
    if (child.exitCode !== null || Date.now() - started > 10_000) {
      await stop();
      throw new Error(`ipmi_sim did not come up on 127.0.0.1:${port}: ${out.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const sim: IpmiSim = {
    host: '127.0.0.1',
    port,
    account,
    credential,
    pid: child.pid as number,
    async power() {
      const now = Number((await readFile(join(dir, 'power'), 'utf8')).trim());
      const pending = await readFile(join(dir, 'power.target'), 'utf8').catch(() => null);
      if (pending) {
        const [target, due] = pending.trim().split(/\s+/).map(Number);
        if (Date.now() >= (due as number)) return target === 1 ? 'on' : 'off';
      }
      return now === 1 ? 'on' : 'off';
    },
    async bootDevice() {
      return (await readFile(join(dir, 'boot'), 'utf8')).trim();
    },
    bootFlags: () => lastBootFlags(out),
    async chassisCalls() {
      return (await readFile(join(dir, 'calls'), 'utf8')).split('\n').filter((l) => l !== '');
    },
    stop,
  };
  return sim;
}
