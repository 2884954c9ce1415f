import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * The Debian packages the real-peer suites need. `.ci/run` installs them when
 * missing; on a machine without them the suite is skipped and the global
 * setup (test/setup/site-tools.ts) says so in one line.
 */
export const SITE_TOOLS = {
  ipmi: { suite: 'IPMI (test/drivers/ipmi against ipmi_sim, and test/runtime/oob-e2e)', programs: ['ipmi_sim', 'ipmitool'], packages: ['openipmi', 'ipmitool'] },
  libvirt: { suite: 'libvirt (test/drivers/libvirt against libvirtd, and test/runtime/oob-e2e)', programs: ['virsh', 'libvirtd'], packages: ['libvirt-clients', 'libvirt-daemon'] },
  browser: { suite: 'browser (test/ui/browser.test.ts, headless Chromium)', programs: ['chromium'], packages: ['chromium'] },
} as const;

export type SiteToolKind = keyof typeof SITE_TOOLS;

const SEARCH = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/sbin'];

/** The program's path on PATH (or in sbin, where Debian puts daemons), or null. */
export function findProgram(name: string): string | null {
  for (const dir of SEARCH) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      if (!statSync(path).isFile()) continue;
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/** The programs of a kind that are missing (empty: the suite can run). */
export function missingPrograms(kind: SiteToolKind): string[] {
  return SITE_TOOLS[kind].programs.filter((p) => findProgram(p) === null);
}

export const hasSiteTools = (kind: SiteToolKind): boolean => missingPrograms(kind).length === 0;
