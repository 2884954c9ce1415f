import type { CommandRunner } from '../oob/command.ts';
import { withoutSecrets } from '../oob/failure.ts';
import { OobError } from '../oob/oob-error.ts';
import type { LibvirtTarget } from './uri.ts';

/** One hypervisor, as the driver talks to it: a virsh command line per call. */
export interface Virsh {
  /** Runs `virsh -c <uri> <args>`; its standard output, or an OobError saying what virsh said. */
  run(args: readonly string[], input?: string): Promise<string>;
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
 * Each call a fresh virsh (`-q`: no banners; `-c`: the node's URI), killed
 * after OOB_REQUEST_TIMEOUT_MS. libvirt has no session to keep between
 * calls, and a process per call keeps nothing of one node in another's.
 */
export function virshFor(options: VirshOptions): Virsh {
  const { runner, program, timeoutMs, target } = options;
  const clean = (text: string) => withoutSecrets(text.split(target.uri).join(target.shown), target.secrets);
  return {
    async run(args, input) {
      const result = await runner.run(program, ['-q', '-c', target.uri, ...args], { timeoutMs, input });
      if (result.missing) throw new OobError(missingVirsh(program));
      if (result.timedOut) {
        throw new OobError(
          `virsh ${args[0]} did not finish within ${timeoutMs} ms (OOB_REQUEST_TIMEOUT_MS); the hypervisor did not answer`,
        );
      }
      if (result.code !== 0) {
        throw new OobError(`virsh ${args[0]} failed (exit ${result.code ?? 'none'}): ${clean(said(result.stderr, result.stdout))}`);
      }
      return result.stdout;
    },
  };
}
