import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { CommandOptions, CommandResult, CommandRunner } from '../drivers/oob/command.ts';

const MAX_OUTPUT_BYTES = 1024 * 1024;

async function executable(path: string): Promise<boolean> {
  try {
    // root passes access(X_OK) on some mounts whatever the mode: check the bits too.
    const info = await stat(path);
    if (!info.isFile() || (info.mode & 0o111) === 0) return false;
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// What a tool needs of the service's environment: where programs are (ssh
// for qemu+ssh), whose keys and sockets to use. Nothing else is passed, so
// the service's own secrets (DESIGN_ENCRYPTION_KEY, KEYSTONE_PASSWORD, …)
// never reach a child process.
const PASSED = ['PATH', 'HOME', 'USER', 'LOGNAME', 'TMPDIR', 'XDG_RUNTIME_DIR', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME', 'SSH_AUTH_SOCK'];

function toolEnv(extra: Record<string, string> | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  // LC_ALL=C: the drivers read the tools' English answers (virsh domstate "running").
  return { ...env, LC_ALL: 'C', ...extra };
}

function runOnce(file: string, args: readonly string[], options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const child = execFile(
      file,
      [...args],
      {
        env: toolEnv(options.env),
        timeout: options.timeoutMs,
        killSignal: 'SIGKILL',
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const failure = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const missing = failure?.code === 'ENOENT';
        const timedOut = Boolean(failure?.killed) && !missing;
        const code = !failure ? 0 : typeof failure.code === 'number' ? failure.code : null;
        resolve({ code, stdout: String(stdout ?? ''), stderr: String(stderr ?? ''), timedOut, missing });
      },
    );
    // A tool that does not read its input must not fail the call with EPIPE.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

/** The Node/Deno command runner (Deno runs node:child_process too). */
export function createCommandRunner(): CommandRunner {
  return {
    run: runOnce,
    async which(file) {
      if (file.includes('/')) return (await executable(file)) ? file : null;
      for (const dir of (process.env.PATH ?? '').split(delimiter)) {
        if (dir && (await executable(join(dir, file)))) return join(dir, file);
      }
      return null;
    },
  };
}
