import type { CommandRunner } from '../oob/command.ts';
import { OobError } from '../oob/oob-error.ts';

/** Where and as whom ipmitool logs in; the credential travels in its environment only. */
export interface IpmiTarget {
  host: string;
  /** null: IPMI's port 623 */
  port: number | null;
  account: string;
  credential: string;
}

export interface IpmitoolSettings {
  /** IPMITOOL_PATH */
  program: string;
  /** OOB_REQUEST_TIMEOUT_MS: the bound on each ipmitool run, session setup included. */
  timeoutMs: number;
  /** IPMI_CIPHER_SUITE */
  cipherSuite: number;
}

/** Runs one ipmitool command against the node's BMC and answers its standard output. */
export type Ipmitool = (command: readonly string[]) => Promise<string>;

export const missingToolMessage = (program: string) =>
  `ipmitool was not found (IPMITOOL_PATH=${program}); install Debian's ipmitool package (apt-get install ipmitool) or set IPMITOOL_PATH to its full path`;

// -v makes ipmitool say why a session failed (RAKP 2 HMAC is invalid, …) and
// adds these lines to every run; they are noise in a failure message.
const NOISE = [/^Loading IANA PEN Registry/, /^Running Get VSO Capabilities/, /^Discovered IPMB address/, /^Invalid completion code received: Invalid command$/];

/** What ipmitool said on stderr, without -v's chatter, on one line. */
export function toolSays(stderr: string): string {
  // -v marks some lines with `> `.
  const lines = stderr.split('\n').map((l) => l.replace(/^\s*>\s*/, '').trim()).filter((l) => l !== '' && !NOISE.some((n) => n.test(l)));
  const text = lines.join('; ');
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

const REFUSED = /RAKP \d HMAC is invalid|RAKP \d message indicates an error|unauthorized name|invalid integrity check value|Invalid user name|password (invalid|incorrect)/i;
const CIPHER = /invalid (authentication|integrity|confidentiality) algorithm|no matching cipher suite|cipher suite .* not supported/i;
const SILENT = /Get Auth Capabilities error|Error issuing Get Channel Authentication Capabilities|No response from remote controller/i;
const NO_SESSION = /Unable to establish .*session/i;

function failureText(settings: IpmitoolSettings, command: readonly string[], code: number | null, said: string): string {
  const quoted = said ? `; ipmitool said: ${said}` : '';
  if (REFUSED.test(said)) return `the BMC refused the login (wrong account or credential)${quoted}`;
  if (CIPHER.test(said)) return `the BMC does not offer IPMI cipher suite ${settings.cipherSuite} (IPMI_CIPHER_SUITE)${quoted}`;
  if (SILENT.test(said)) return `no IPMI session with the BMC: it did not answer over UDP (is it on, at this address and port, and reachable?)${quoted}`;
  if (NO_SESSION.test(said)) return `no IPMI session with the BMC${quoted}`;
  return `ipmitool ${command.join(' ')} failed (exit code ${code ?? 'none'})${quoted}`;
}

/**
 * ipmitool's own bound per message (-N seconds, -R retries) sits under the
 * runner's kill at timeoutMs: a BMC that never answers costs ipmitool about
 * two messages × N × R, so it gives up with its own words (which name the
 * stage that failed) before the kill, whenever the timeout allows a second.
 */
function boundArgs(timeoutMs: number): string[] {
  const perMessage = Math.max(1, Math.floor(timeoutMs / 3000));
  return ['-N', String(perMessage), '-R', '1'];
}

/** The argument list, without the credential: `-E` has ipmitool read IPMI_PASSWORD. */
export function ipmitoolArgs(settings: IpmitoolSettings, target: IpmiTarget, command: readonly string[]): string[] {
  const port = target.port === null ? [] : ['-p', String(target.port)];
  return [
    '-I', 'lanplus', '-H', target.host, ...port, '-U', target.account, '-E',
    '-C', String(settings.cipherSuite), ...boundArgs(settings.timeoutMs), '-v', ...command,
  ];
}

/** ipmitool for one node's BMC, through the runtime's command runner. */
export function ipmitoolFor(runner: CommandRunner, settings: IpmitoolSettings, target: IpmiTarget): Ipmitool {
  return async (command) => {
    const res = await runner.run(settings.program, ipmitoolArgs(settings, target, command), {
      env: { IPMI_PASSWORD: target.credential },
      timeoutMs: settings.timeoutMs,
    });
    if (res.missing) throw new OobError(missingToolMessage(settings.program));
    if (res.timedOut) {
      throw new OobError(
        `ipmitool ${command.join(' ')} got no complete answer from the BMC within ${settings.timeoutMs} ms (OOB_REQUEST_TIMEOUT_MS); ` +
          'is the BMC on, at this address and port, and is UDP to it allowed?',
      );
    }
    if (res.code !== 0) throw new OobError(failureText(settings, command, res.code, toolSays(res.stderr)));
    return res.stdout;
  };
}
