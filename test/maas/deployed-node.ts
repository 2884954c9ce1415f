import { parse } from 'yaml';
import { readTarball, type TarEntry } from '../../src/bootaction/tarball.ts';

/** What a deployed machine found and did with its boot actions. */
export interface NodeRun {
  /** Where its key came from: the user data's key file and/or its MAAS tag. */
  key: string;
  packages: unknown[];
  files: Record<string, string>;
  /** Each report the node's scripts sent: URL and answer status. */
  reports: Array<{ url: string; status: number }>;
}

interface CloudConfig {
  packages?: unknown[];
  write_files?: Array<{ path: string; permissions?: string; content: string }>;
}

/**
 * A machine MAAS deployed, after first boot, as a Drydock node image acts:
 * the boot action key from the file cloud-init wrote from the user data (a
 * node image that reads tags would take it from its `<node>__baid__<key>`
 * tag instead), both tarballs fetched with it, and each rendered script that
 * reports to Drydock run the way its curl line says (URL, key header, body).
 */
export async function playDeployedNode(service: string, hostname: string, userData: string, keyPath: string): Promise<NodeRun> {
  const config = parse(userData.replace(/^#cloud-config\n/, '')) as CloudConfig;
  const keyFile = config.write_files?.find((f) => f.path === keyPath);
  if (!keyFile) throw new Error(`${hostname}: no ${keyPath} in the user data`);
  if (keyFile.permissions !== '0600') throw new Error(`${hostname}: ${keyPath} would be ${keyFile.permissions}, not 0600`);
  const key = keyFile.content.trim();
  const files: Record<string, string> = {};
  for (const kind of ['units', 'files']) {
    const res = await fetch(`${service}/api/v1.0/bootactions/nodes/${hostname}/${kind}`, { headers: { 'X-Bootaction-Key': key } });
    if (res.status !== 200) throw new Error(`${hostname}: GET ${kind} answered ${res.status}: ${await res.text()}`);
    for (const entry of readTarball(new Uint8Array(await res.arrayBuffer()))) files[entry.path] = textOf(entry);
  }
  const reports: NodeRun['reports'] = [];
  for (const script of Object.values(files)) {
    const report = reportIn(script);
    if (!report) continue;
    const res = await fetch(report.url, {
      method: 'POST',
      headers: { 'X-Bootaction-Key': report.key, 'Content-Type': 'application/json' },
      body: report.body,
    });
    reports.push({ url: report.url, status: res.status });
  }
  return { key, packages: config.packages ?? [], files, reports };
}

const textOf = (e: TarEntry) => new TextDecoder().decode(e.content);

/** The curl report in a rendered script: -H 'X-Bootaction-Key: …', -d '…' and the quoted URL. */
function reportIn(script: string): { url: string; key: string; body: string } | null {
  const line = script.replace(/\\\n\s*/g, ' ');
  const key = /-H 'X-Bootaction-Key: ([^']+)'/.exec(line)?.[1];
  const body = /-d '([^']+)'/.exec(line)?.[1];
  const url = /'(https?:\/\/[^']+)'/.exec(line)?.[1];
  return key && body && url ? { url, key, body } : null;
}

/**
 * Plays each named machine once MAAS shows it Deployed (it has booted), until
 * all have run or `waitMs` passed; the key file is where the MAAS driver's
 * user data puts it (`keyPath`).
 */
export async function playNodesOnceDeployed(
  sim: { machine(name: string): { status: number }; userDataOf(name: string): string | null },
  service: string,
  names: readonly string[],
  keyPath: string,
  deployed: number,
  waitMs: number,
): Promise<Record<string, NodeRun>> {
  const runs: Record<string, NodeRun> = {};
  const deadline = Date.now() + waitMs;
  while (Object.keys(runs).length < names.length && Date.now() < deadline) {
    for (const name of names) {
      if (runs[name] || sim.machine(name).status !== deployed) continue;
      runs[name] = await playDeployedNode(service, name, sim.userDataOf(name)!, keyPath);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return runs;
}
