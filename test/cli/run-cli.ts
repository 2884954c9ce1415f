/** Runs the `drydock-edge` bin as a process, as an operator's shell would. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, serverEnv } from '../helpers/spawn.ts';

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const BIN = join(ROOT, 'bin/drydock-edge.mjs');

/** No DRYDOCK_*, OS_* or NO_COLOR from the developer's shell leak in; `vars` set the ones a test wants. */
export function runCli(args: string[], vars: Record<string, string | undefined>, timeoutMs = 90_000): Promise<CliRun> {
  const clean: Record<string, undefined> = {};
  for (const key of Object.keys(process.env)) if (/^(DRYDOCK_|OS_|DD_URL$)/.test(key)) clean[key] = undefined;
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: serverEnv({ ...clean, ...vars }), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  return new Promise((resolve) => {
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
