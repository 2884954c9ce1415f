import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT } from '../../helpers/spawn.ts';

/**
 * The fixture site (east-lab) with its oob network on 127.0.0.0/24 and each
 * node of `ports` a Redfish node whose BMC is 127.0.0.1 at that port.
 */
export async function redfishDesign(ports: Map<string, number>, credential: string): Promise<string> {
  let yaml = await readFile(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8');
  yaml = yaml.replaceAll('10.23.0.', '127.0.0.').replace(/(\n {6}start: )127\.0\.0\.1(\n {6}end: )127\.0\.0\.9/, '$1127.0.0.2$2127.0.0.9');
  yaml = yaml.replace(/(\n {6}start: )127\.0\.0\.10(\n)/, '$1127.0.0.1$2');
  for (const [name, port] of ports) {
    const at = yaml.indexOf(`  name: ${name}\n`);
    if (at < 0) throw new Error(`no node ${name} in the fixture`);
    const dataAt = yaml.indexOf('data:\n', at) + 'data:\n'.length;
    const oob = `  oob:\n    type: redfish\n    network: oob\n    account: admin\n    credential: ${credential}\n    port: ${port}\n`;
    yaml = yaml.slice(0, dataAt) + oob + yaml.slice(dataAt);
    yaml = yaml.replace(new RegExp(`(name: ${name}[\\s\\S]*?- network: oob\\n\\s+address: )127\\.0\\.0\\.\\d+`), '$1127.0.0.1');
  }
  return yaml;
}
