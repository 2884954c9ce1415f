/** The files ipmi_sim is started with, and what its debug dump tells (see ipmi-sim.ts). */
import { fruImage, type FruProduct } from './fru.ts';

export interface BootFlags {
  /** Bit 7 of the first flags byte: the BMC is to use the flags. */
  valid: boolean;
  /** Bit 6: for all future boots (false: the next boot only). */
  persistent: boolean;
  /** The boot device selector (1: PXE, 2: disk, 5: CD/DVD, 6: BIOS setup). */
  device: number;
}

// The chassis: power and boot device in files; a power change becomes
// visible once its due time (ms) passes, checked at each get.
export const chassisScript = (dir: string, delayMs: number, ignoreOn: boolean) => `#!/bin/sh
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

export const lanConf = (port: number, script: string, account: string, credential: string) => `name "drydock-test"
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
export function emuCommands(fru: FruProduct | null): string {
  const lines = ['debug msg', 'mc_setbmc 0x20', 'mc_add 0x20 0 no-device-sdrs 0x23 9 8 0x9f 0x1291 0xf02 persist_sdr', 'sel_enable 0x20 1000 0x0a'];
  if (fru) {
    const image = fruImage(fru);
    lines.push(`mc_add_fru_data 0x20 0 ${image.length} data ${image.map((b) => `0x${b.toString(16)}`).join(' ')}`);
  }
  lines.push('mc_enable 0x20');
  return `${lines.join('\n')}\n`;
}

// `channel=1 netfn=0x0 cmd=0x8 …` then a line of request bytes: `05 80 04 00 00 00`.
export function lastBootFlags(dump: string): BootFlags | null {
  const re = /netfn=0x0 cmd=0x8 [^\n]*\n[^\n]*\n\s*05 ([0-9a-f]{2}) ([0-9a-f]{2})/g;
  let found: BootFlags | null = null;
  for (const m of dump.matchAll(re)) {
    const b1 = parseInt(m[1] as string, 16);
    const b2 = parseInt(m[2] as string, 16);
    found = { valid: (b1 & 0x80) !== 0, persistent: (b1 & 0x40) !== 0, device: (b2 >> 2) & 0xf };
  }
  return found;
}
