/** What a finished (or killed) command left behind. */
export interface CommandResult {
  /** The exit code; null when the command was killed (timeout) or could not start. */
  code: number | null;
  stdout: string;
  stderr: string;
  /** Killed after the call's timeoutMs. */
  timedOut: boolean;
  /** The program was not found (ENOENT): its package is not installed or not on PATH. */
  missing: boolean;
}

export interface CommandOptions {
  /** Added to the runner's environment; the way secrets reach a tool (never argv, which `ps` shows). */
  env?: Record<string, string>;
  timeoutMs: number;
  /** Written to the command's standard input, then closed. */
  input?: string;
}

/**
 * Runs a site tool (ipmitool, virsh) as a child process, on Node and Deno.
 * The drivers get it from the runtime instead of importing node:child_process,
 * so they stay in the driver layer, and tests can count what was run.
 */
export interface CommandRunner {
  run(file: string, args: readonly string[], options: CommandOptions): Promise<CommandResult>;
  /** The program's full path when it is on PATH (or `file` is a path to an executable), else null. */
  which(file: string): Promise<string | null>;
}
