import { describe, expect, it } from 'vitest';
import { setPxeOnce } from '../../../src/drivers/ipmi/boot.ts';
import { ipmitoolArgs, ipmitoolFor, toolSays, type Ipmitool } from '../../../src/drivers/ipmi/ipmitool.ts';
import { powerStateOf } from '../../../src/drivers/ipmi/power.ts';
import type { CommandResult, CommandRunner } from '../../../src/drivers/oob/command.ts';
import { OobError } from '../../../src/drivers/oob/oob-error.ts';

// What the driver makes of ipmitool's words, for answers ipmi_sim never
// gives (a BMC that makes the boot persistent, other cipher suites).

const BOOT_FLAGS = (selector: string, scope: string) => `Boot parameter version: 1
Boot parameter 5 is valid/unlocked
Boot parameter data: 8004000000
 Boot Flags :
   - Boot Flag Valid
   - ${scope}
   - BIOS PC Compatible (legacy) boot
   - Boot Device Selector : ${selector}
`;

/** An ipmitool that answers each command from a table. */
const scripted = (answers: Record<string, string>): Ipmitool & { sent: string[] } => {
  const sent: string[] = [];
  const tool = async (command: readonly string[]) => {
    sent.push(command.join(' '));
    return answers[command.join(' ')] ?? '';
  };
  return Object.assign(tool, { sent });
};

describe('set_node_boot read back', () => {
  it('is done when the BMC reads back Force PXE for the next boot only', async () => {
    const tool = scripted({ 'chassis bootparam get 5': BOOT_FLAGS('Force PXE', 'Options apply to only next boot') });
    expect(await setPxeOnce(tool)).toMatchObject({ state: 'done' });
    expect(tool.sent).toEqual(['chassis bootdev pxe', 'chassis bootparam get 5']);
  });

  it('fails when the BMC made PXE persistent', async () => {
    const tool = scripted({ 'chassis bootparam get 5': BOOT_FLAGS('Force PXE', 'Options apply to all future boots') });
    await expect(setPxeOnce(tool)).rejects.toThrow('the BMC set PXE for all future boots, not the next boot only');
  });

  it('fails when the BMC took the command but kept another device', async () => {
    const tool = scripted({ 'chassis bootparam get 5': BOOT_FLAGS('Force Boot from default Hard-Drive', 'Options apply to only next boot') });
    await expect(setPxeOnce(tool)).rejects.toThrow('the BMC accepted the boot device PXE but reads back boot device Force Boot from default Hard-Drive');
  });
});

describe('ipmitool output and failures', () => {
  it('reads the chassis power state and refuses anything else', () => {
    expect(powerStateOf('Chassis Power is on\n')).toBe('on');
    expect(powerStateOf('Chassis Power is off\n')).toBe('off');
    expect(() => powerStateOf('Chassis Power is unknown\n')).toThrow(OobError);
  });

  it('drops -v chatter from what ipmitool said', () => {
    const stderr = 'Loading IANA PEN Registry...\nRunning Get VSO Capabilities my_addr 0x20, transit 0, target 0x20\n' +
      'Invalid completion code received: Invalid command\nDiscovered IPMB address 0x0\n> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session\n';
    expect(toolSays(stderr)).toBe('RAKP 2 HMAC is invalid; Error: Unable to establish IPMI v2 / RMCP+ session');
  });

  it('leaves -p out when oob.port is not set (IPMI\'s 623) and bounds ipmitool by the timeout', () => {
    const settings = { program: 'ipmitool', timeoutMs: 10_000, cipherSuite: 17 };
    expect(ipmitoolArgs(settings, { host: 'fd00::5', port: null, account: 'root', credential: 'x' }, ['mc', 'info'])).toEqual([
      '-I', 'lanplus', '-H', 'fd00::5', '-U', 'root', '-E', '-C', '17', '-N', '3', '-R', '1', '-v', 'mc', 'info',
    ]);
  });

  it.each([
    ['Error in open session response message : invalid authentication algorithm\nError: Unable to establish IPMI v2 / RMCP+ session', 'the BMC does not offer IPMI cipher suite 17 (IPMI_CIPHER_SUITE)'],
    ['Insufficient resources for session\nError: Unable to establish IPMI v2 / RMCP+ session', 'no IPMI session with the BMC; ipmitool said: Insufficient resources for session'],
    ['Set Chassis Power Control to Up/On failed: Command not supported in present state', 'ipmitool chassis power on failed (exit code 1); ipmitool said: Set Chassis Power Control to Up/On failed'],
  ])('words a failure by what ipmitool said: %s', async (stderr, expected) => {
    const runner: CommandRunner = {
      run: async (): Promise<CommandResult> => ({ code: 1, stdout: '', stderr, timedOut: false, missing: false }),
      which: async () => '/usr/bin/ipmitool',
    };
    const tool = ipmitoolFor(runner, { program: 'ipmitool', timeoutMs: 3000, cipherSuite: 17 }, { host: 'h', port: null, account: 'a', credential: 'c' });
    await expect(tool(['chassis', 'power', 'on'])).rejects.toThrow(expected);
  });
});
