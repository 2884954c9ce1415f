import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../helpers/spawn.ts';

/** A node's oob section, as the design writes it (type, network, account, credential, port, libvirt_uri, ...). */
export type OobSection = Record<string, string | number | boolean>;

const yamlValue = (v: string | number | boolean): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/**
 * The fixture site (east-lab) with its oob network on 127.0.0.0/24 and each
 * node of `sections` given that oob section and the BMC address 127.0.0.1,
 * where the test's peers (Redfish emulator, ipmi_sim, libvirtd) listen.
 */
export async function oobSiteDesign(sections: Map<string, OobSection>): Promise<string> {
  let yaml = await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8');
  yaml = yaml.replaceAll('10.23.0.', '127.0.0.').replace(/(\n {6}start: )127\.0\.0\.1(\n {6}end: )127\.0\.0\.9/, '$1127.0.0.2$2127.0.0.9');
  yaml = yaml.replace(/(\n {6}start: )127\.0\.0\.10(\n)/, '$1127.0.0.1$2');
  for (const [name, section] of sections) {
    const at = yaml.indexOf(`  name: ${name}\n`);
    if (at < 0) throw new Error(`no node ${name} in the fixture`);
    const dataAt = yaml.indexOf('data:\n', at) + 'data:\n'.length;
    const lines = Object.entries(section).map(([k, v]) => `    ${k}: ${yamlValue(v)}\n`);
    yaml = yaml.slice(0, dataAt) + `  oob:\n${lines.join('')}` + yaml.slice(dataAt);
    yaml = yaml.replace(new RegExp(`(name: ${name}[\\s\\S]*?- network: oob\\n\\s+address: )127\\.0\\.0\\.\\d+`), '$1127.0.0.1');
  }
  return yaml;
}
