import { missingPrograms, SITE_TOOLS, type SiteToolKind } from '../helpers/site-tools.ts';

/** One line per real-peer suite this machine cannot run, naming what to install. */
export default function reportMissingSiteTools(): void {
  for (const kind of Object.keys(SITE_TOOLS) as SiteToolKind[]) {
    const missing = missingPrograms(kind);
    if (missing.length === 0) continue;
    const { suite, packages } = SITE_TOOLS[kind];
    process.stderr.write(
      `skipped: the ${suite} suite: ${missing.join(', ')} not found; install Debian's ${packages.join(' ')} (apt-get install -y ${packages.join(' ')})\n`,
    );
  }
}
