import type { CommandResult, CommandRunner } from '../oob/command.ts';
import { withoutSecrets } from '../redact.ts';
import { OobError } from '../oob/oob-error.ts';
import type { LibvirtTarget } from './uri.ts';

/** One hypervisor, as the driver talks to it: a virsh command line per call. */
export interface Virsh {
  /** Runs `virsh <args>` on the node's URI; its standard output, or an OobError saying what virsh said. */
  run(args: readonly string[]): Promise<string>;
  /** `virsh define` of a domain XML, handed over through a pipe (never a file: it may hold passwords). */
  define(xml: string): Promise<void>;
}

export interface VirshOptions {
  runner: CommandRunner;
  /** VIRSH_PATH: a program name on PATH or a full path. */
  program: string;
  timeoutMs: number;
  target: LibvirtTarget;
}

export const missingVirsh = (program: string) =>
  `virsh was not found (VIRSH_PATH=${program}); install Debian's libvirt-clients or set VIRSH_PATH to the virsh program`;

// virsh prints each error as `error: …`; the last lines say the most, and
// a long answer is cut so a message stays readable.
function said(stderr: string, stdout: string): string {
  const text = (stderr.trim() || stdout.trim()).split('\n').map((l) => l.trim()).filter(Boolean).join('; ');
  if (!text) return 'virsh gave no reason';
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/**
 * Each call a fresh virsh (`-q`: no banners), killed after
 * OOB_REQUEST_TIMEOUT_MS; a process per call keeps nothing of one node in
 * another's. The URI reaches virsh through its environment, not `-c`: it
 * may hold a user and a keyfile path, and argv is what `ps` shows everyone.
 * virsh takes VIRSH_DEFAULT_CONNECT_URI before LIBVIRT_DEFAULT_URI, so both
 * are set, or a value in the service's own environment would win.
 */
export function virshFor(options: VirshOptions): Virsh {
  const { runner, program, timeoutMs, target } = options;
  const clean = (text: string) => withoutSecrets(text.split(target.uri).join(target.shown), target.secrets);
  const env = { VIRSH_DEFAULT_CONNECT_URI: target.uri, LIBVIRT_DEFAULT_URI: target.uri };
  const check = (what: string, result: CommandResult): string => {
    if (result.missing) throw new OobError(missingVirsh(program));
    if (result.timedOut) {
      throw new OobError(`virsh ${what} did not finish within ${timeoutMs} ms (OOB_REQUEST_TIMEOUT_MS); the hypervisor did not answer`);
    }
    if (result.code !== 0) {
      throw new OobError(`virsh ${what} failed (exit ${result.code ?? 'none'}): ${clean(said(result.stderr, result.stdout))}`);
    }
    return result.stdout;
  };
  return {
    async run(args) {
      return check(args[0] ?? '', await runner.run(program, ['-q', ...args], { env, timeoutMs }));
    },
    async define(xml) {
      // virsh define reads only a file. The runner's stdin is a socket, which
      // /dev/stdin cannot open, so bash hands virsh a pipe (<(cat)) instead,
      // exec'ing virsh so that the timeout kills virsh itself.
      const result = await runner.run('bash', ['-c', 'exec "$0" "$@" <(cat)', program, '-q', 'define', '--file'], { env, timeoutMs, input: xml });
      if (result.missing) throw new OobError('bash was not found: the libvirt driver needs it to hand virsh define the domain XML');
      check('define', result.code === 127 ? { ...result, missing: true } : result);
    },
  };
}
