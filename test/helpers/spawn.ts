import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OFFLINE_ENV } from '../../scripts/offline-env.mjs';
import { ConfigSchema } from '../../src/core/config.ts';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export { OFFLINE_ENV };
export const TSX = join(ROOT, 'node_modules/.bin/tsx');
export const DENO = join(ROOT, 'node_modules/.bin/deno');
// Node itself with tsx as its loader, as `npm start` runs it minus the tsx
// launcher: the launcher SIGKILLs a child that does not acknowledge SIGTERM
// within 30 ms (exit 143 on a loaded machine), which hides how the server
// itself shuts down.
export const NODE_ENTRY = [process.execPath, '--import', 'tsx', 'src/node.ts'];
/** `npm run agent`: the site agent on Node. */
export const AGENT_ENTRY = [process.execPath, '--import', 'tsx', 'src/agent.ts'];
export const DENO_ENTRY = [
  DENO,
  'run',
  '--allow-net',
  '--allow-read',
  '--allow-write',
  '--allow-env',
  '--allow-ffi',
  '--allow-sys',
  // ipmitool and virsh, for the ipmi and libvirt OOB drivers.
  '--allow-run',
  'src/deno.ts',
];

/**
 * The parent's environment without any of the service's own variables (so a
 * developer's AUTH_TOKENS or PORT cannot leak in), plus the offline switches
 * and the caller's variables. An `undefined` value removes a variable.
 */
export function serverEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...OFFLINE_ENV };
  for (const key of Object.keys(ConfigSchema.entries)) delete env[key];
  for (const [key, value] of Object.entries(vars)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

export interface Spawned {
  child: ChildProcess;
  /** Everything written so far, stdout and stderr interleaved. */
  output(): string;
  /** The JSON log records seen so far (non-JSON lines are skipped). */
  records(): Array<Record<string, unknown>>;
  /** Resolves with the exit code (or the signal's name) once the process ends. */
  exited: Promise<number | string>;
  /** SIGTERM to the process group, SIGKILL after `graceMs`; resolves on exit. */
  stop(graceMs?: number): Promise<number | string>;
  /** Sends `signal` (SIGKILL by default: a crash, no clean-up) to the process group; resolves on exit. */
  kill(signal?: NodeJS.Signals): Promise<number | string>;
}

/** Spawns `argv` in its own process group (so tsx's child goes too) at `cwd` (ROOT by default). */
export function spawnProcess(argv: string[], vars: Record<string, string | undefined>, cwd = ROOT): Spawned {
  const [command, ...args] = argv;
  const child = spawn(command!, args, {
    cwd,
    env: serverEnv(vars),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let text = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (text += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (text += d));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
    child.once('error', (err) => {
      text += `\nspawn error: ${err.message}`;
      resolve('error');
    });
  });
  let done = false;
  void exited.then(() => (done = true));
  const signalGroup = (signal: NodeJS.Signals) => {
    if (done || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  return {
    child,
    output: () => text,
    records: () =>
      text.split('\n').flatMap((line) => {
        if (!line.startsWith('{')) return [];
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      signalGroup(signal);
      return exited;
    },
    async stop(graceMs = 5000) {
      signalGroup('SIGTERM');
      const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        signalGroup('SIGKILL'); // anything the leader left behind
      }
    },
  };
}

export interface Server extends Spawned {
  url: string;
  port: number;
}

const LISTENING = /listening on (http:\/\/\S+)/;

/**
 * Starts a server and waits for its "… listening on http://host:port" JSON log
 * line. Fails with the process output if it exits or times out first.
 */
export async function startServer(
  argv: string[],
  vars: Record<string, string | undefined>,
  timeoutMs = 20_000,
): Promise<Server> {
  const proc = spawnProcess(argv, vars);
  const deadline = Date.now() + timeoutMs;
  let exitedWith: number | string | undefined;
  void proc.exited.then((code) => (exitedWith = code));
  for (;;) {
    const record = proc.records().find((r) => typeof r.msg === 'string' && LISTENING.test(r.msg));
    if (record) {
      const url = LISTENING.exec(record.msg as string)![1]!.replace(/\/$/, '');
      return { ...proc, url, port: Number(new URL(url).port) };
    }
    if (exitedWith !== undefined) {
      throw new Error(`server exited (${exitedWith}) before listening:\n${proc.output()}`);
    }
    if (Date.now() > deadline) {
      await proc.stop();
      throw new Error(`server not listening after ${timeoutMs} ms:\n${proc.output()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Runs a process that is expected to stop by itself (e.g. a start-up failure). */
export async function runToExit(
  argv: string[],
  vars: Record<string, string | undefined>,
  timeoutMs = 20_000,
): Promise<{ code: number | string; output: string }> {
  const proc = spawnProcess(argv, vars);
  const timer = setTimeout(() => void proc.stop(), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  return { code, output: proc.output() };
}
