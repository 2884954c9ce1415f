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
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fruImage, type FruProduct } from './fru.ts';

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

export interface BootFlags {
  /** Bit 7 of the first flags byte: the BMC is to use the flags. */
  valid: boolean;
  /** Bit 6: for all future boots (false: the next boot only). */
  persistent: boolean;
  /** The boot device selector (1: PXE, 2: disk, 5: CD/DVD, 6: BIOS setup). */
  device: number;
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

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.bind(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

// The chassis: power and boot device in files; a power change becomes
// visible once its due time (ms) passes, checked at each get.
const chassisScript = (dir: string, delayMs: number, ignoreOn: boolean) => `#!/bin/sh
d='${dir}'
now() { date +%s%3N; }
settle() {
  [ -f "$d/power.target" ] || return 0
  read target due < "$d/power.target"
  if [ "$(now)" -ge "$due" ]; then echo "$target" > "$d/power"; rm -f "$d/power.target"; fi
}
shift
op=$1; shift
echo "$op $*" >> "$d/calls"
case $op in
  get)
    settle
    for name; do
      case $name in
        power) echo "power:$(cat "$d/power")" ;;
        boot) echo "boot:$(cat "$d/boot")" ;;
      esac
    done ;;
  set)
    while [ $# -ge 2 ]; do
      case $1 in
        power)
          if [ "$2" = 1 ] && [ ${ignoreOn ? 1 : 0} = 1 ]; then :; else
            echo "$2 $(( $(now) + ${delayMs} ))" > "$d/power.target"; settle
          fi ;;
        boot) echo "$2" > "$d/boot" ;;
      esac
      shift 2
    done ;;
esac
`;

const lanConf = (port: number, script: string, account: string, credential: string) => `name "drydock-test"
set_working_mc 0x20
  startlan 1
    addr 127.0.0.1 ${port}
    priv_limit admin
    allowed_auths_callback md5
    allowed_auths_user md5
    allowed_auths_operator md5
    allowed_auths_admin md5
    guid a123456789abcdefa123456789abcdef
  endlan
  chassis_control "${script} 0x20"
  user 2 true "${account}" "${credential}" admin 10 md5
`;

// A BMC (MontaVista's manufacturer id, as OpenIPMI's example) with a SEL
// and, when given, FRU 0; `debug msg` dumps each decoded request.
function emuCommands(fru: FruProduct | null): string {
  const lines = ['debug msg', 'mc_setbmc 0x20', 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr', 'sel_enable 0x20 1000 0x0a'];
  if (fru) {
    const image = fruImage(fru);
    lines.push(`mc_add_fru_data 0x20 0 ${image.length} data ${image.map((b) => `0x${b.toString(16)}`).join(' ')}`);
  }
  lines.push('mc_enable 0x20');
  return `${lines.join('\n')}\n`;
}

// `channel=1 netfn=0x0 cmd=0x8 …` then a line of request bytes: `05 80 04 00 00 00`.
function lastBootFlags(dump: string): BootFlags | null {
  const re = /netfn=0x0 cmd=0x8 [^\n]*\n[^\n]*\n\s*05 ([0-9a-f]{2}) ([0-9a-f]{2})/g;
  let found: BootFlags | null = null;
  for (const m of dump.matchAll(re)) {
    const b1 = parseInt(m[1] as string, 16);
    const b2 = parseInt(m[2] as string, 16);
    found = { valid: (b1 & 0x80) !== 0, persistent: (b1 & 0x40) !== 0, device: (b2 >> 2) & 0xf };
  }
  return found;
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
