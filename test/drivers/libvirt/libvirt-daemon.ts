import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findProgram } from '../../helpers/site-tools.ts';

/**
 * A real libvirt for tests: libvirtd hosting libvirt's `test` driver (an
 * in-memory hypervisor), reached at `test+unix:///default?socket=…`.
 *
 * Why a daemon: `virsh -c test:///default` builds a fresh hypervisor in each
 * virsh process, and the driver runs one virsh per call. Through libvirtd
 * the `default` test hypervisor is shared by every connection, but only
 * while one is open, so the harness keeps one idle virsh shell connected
 * for the daemon's life.
 *
 * How it stays contained and quick (< 1 s to start):
 * - LIBVIRT_DRIVER_DIR points to an empty directory, so libvirtd loads no
 *   driver module (QEMU's wants the libvirt-qemu user); `test` is built in.
 * - Under root, libvirtd runs as nobody (setpriv), so it is a session
 *   daemon whose state lives in HOME/XDG dirs inside the temp dir, never in
 *   /run/libvirt or /var/lib/libvirt; the socket is in the temp dir.
 * - stop() ends the shell and the daemon and removes the temp dir.
 *
 * Checks read libvirt's side with the harness's own virsh calls, not with
 * the driver's code: state(), bootOrder(), domainId().
 */
export interface LibvirtTestDaemon {
  /** test+unix:///default?socket=<tmp>/run/libvirt-sock */
  uri: string;
  /** The temp dir holding the socket, config and the daemon's state; removed by stop(). */
  dir: string;
  /** libvirtd's and the keeper virsh's process ids, for checks that stop() ended them. */
  pids: number[];
  /** Defines a `test` domain named `name` with a network interface; boot devices default to ['hd']. */
  defineDomain(name: string, opts?: { boot?: string[]; running?: boolean }): Promise<void>;
  /** Defines a domain from XML as given (e.g. one with per-device boot order). */
  defineXml(name: string, xml: string): Promise<void>;
  /** `virsh domstate`: 'running', 'shut off', … */
  state(name: string): Promise<string>;
  /** The boot devices of the domain's persistent <os>, in order. */
  bootOrder(name: string): Promise<string[]>;
  /** `virsh domid`: a new id after each start, '-' while shut off. */
  domainId(name: string): Promise<string>;
  /** Any virsh command on the daemon; its standard output. */
  virsh(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function exited(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function end(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  if (!(await exited(child, 3000))) {
    child.kill('SIGKILL');
    await exited(child, 3000);
  }
}

export function domainXml(name: string, boot: string[]): string {
  const devs = boot.map((d) => `<boot dev='${d}'/>`).join('');
  return (
    `<domain type='test'><name>${name}</name><memory unit='KiB'>1048576</memory><vcpu>2</vcpu>` +
    `<os><type arch='x86_64'>hvm</type>${devs}</os>` +
    `<devices><interface type='network'><source network='default'/></interface></devices></domain>`
  );
}

export async function startLibvirtTestDaemon(): Promise<LibvirtTestDaemon> {
  const libvirtd = findProgram('libvirtd');
  if (!libvirtd) throw new Error('libvirtd not found (Debian libvirt-daemon)');
  const dir = await mkdtemp(join(tmpdir(), 'libvirtd-test-'));
  const [run, home, modules] = [join(dir, 'run'), join(dir, 'home'), join(dir, 'no-modules')];
  for (const d of [run, home, modules]) await mkdir(d);
  const conf = join(dir, 'libvirtd.conf');
  await writeFile(conf, `unix_sock_dir = "${run}"\nunix_sock_rw_perms = "0700"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\nlog_outputs = "3:stderr"\n`);
  let command = [libvirtd, '-f', conf];
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }));
    for (const p of [dir, run, home, modules, conf]) await chown(p, uid, gid);
    command = ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', ...command];
  }
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_RUNTIME_DIR: home, XDG_CONFIG_HOME: home, XDG_CACHE_HOME: home, LIBVIRT_DRIVER_DIR: modules };
  const daemon = spawn(command[0] as string, command.slice(1), { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  daemon.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const socket = join(run, 'libvirt-sock');
  const uri = `test+unix:///default?socket=${socket}`;
  const cleanup = async () => {
    await end(daemon);
    await rm(dir, { recursive: true, force: true });
  };
  for (let waited = 0; !existsSync(socket); waited += 20) {
    if (daemon.exitCode !== null || waited > 5000) {
      await cleanup();
      throw new Error(`libvirtd did not start (socket ${socket}): ${log}`);
    }
    await sleep(20);
  }
  // The keeper: an idle virsh shell holding the `default` test hypervisor open.
  const keeper = spawn('virsh', ['-c', uri], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  const ready = new Promise<void>((resolve, reject) => {
    let out = '';
    keeper.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('keeper-ready')) resolve();
    });
    keeper.once('exit', () => reject(new Error(`the keeper virsh ended: ${out} ${log}`)));
  });
  keeper.stdin?.write('echo keeper-ready\n');
  await ready.catch(async (err) => {
    await cleanup();
    throw err;
  });

  const virsh = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      execFile('virsh', ['-q', '-c', uri, ...args], { env: { ...process.env, LC_ALL: 'C' }, timeout: 10_000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`virsh ${args.join(' ')}: ${stderr || err.message}`)) : resolve(stdout),
      );
    });

  const defineXml = async (name: string, xml: string) => {
    const file = join(dir, `${name}.xml`);
    await writeFile(file, xml);
    await virsh(['define', '--file', file]);
  };

  return {
    uri,
    dir,
    pids: [daemon.pid, keeper.pid].filter((p): p is number => p !== undefined),
    virsh,
    defineXml,
    async defineDomain(name, opts = {}) {
      await defineXml(name, domainXml(name, opts.boot ?? ['hd']));
      if (opts.running) await virsh(['start', '--domain', name]);
    },
    state: async (name) => (await virsh(['domstate', '--domain', name])).trim(),
    domainId: async (name) => (await virsh(['domid', '--domain', name])).trim(),
    async bootOrder(name) {
      const xml = await virsh(['dumpxml', '--inactive', '--domain', name]);
      const os = /<os>([\s\S]*?)<\/os>/.exec(xml)?.[1] ?? '';
      return [...os.matchAll(/<boot dev='([^']+)'\/>/g)].map((m) => m[1] as string);
    },
    async stop() {
      keeper.stdin?.end();
      await end(keeper);
      await cleanup();
    },
  };
}
