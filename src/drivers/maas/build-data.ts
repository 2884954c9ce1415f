import type { BaremetalNode } from '../../design/model.ts';
import type { BuildDataStage, CollectedBuildData } from '../types.ts';
import type { MaasClient } from './client.ts';
import { readBsonDocument } from './bson.ts';
import { findNode } from './identify.ts';

interface MaasResult {
  name?: string;
  result_type?: number;
  updated?: string;
  data?: string;
}

// MAAS's RESULT_TYPE (commissioning 0, deploy 1, testing 2), as Drydock's NodeResult maps them.
const RESULT_TYPES: Record<BuildDataStage, Array<[number, string]>> = {
  commission: [
    [0, 'commission'],
    [2, 'testing'],
  ],
  deploy: [[1, 'deploy']],
};

function decodeBase64(text: string): string | null {
  try {
    const binary = atob(text);
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/**
 * Drydock's build data of a MAAS machine: after commissioning, `op=details`
 * (lshw and lldp XML, in BSON) and the commissioning and testing script
 * results; after a deploy, the installation results. The result filters go
 * in the query string, which MAAS reads (Drydock sends them as a GET body,
 * which MAAS ignores, so it saved every machine's results as this one's).
 */
export async function collectMaasBuildData(client: MaasClient, node: BaremetalNode, stage: BuildDataStage, now: Date): Promise<CollectedBuildData[]> {
  const found = await findNode(client, node, true);
  if (!found || found.kind !== 'machines') return [];
  const systemId = found.machine.system_id;
  const records: CollectedBuildData[] = [];
  if (stage === 'commission') {
    const details = readBsonDocument(new Uint8Array(await client.bytes({ method: 'GET', path: `machines/${encodeURIComponent(systemId)}/`, op: 'details' })));
    for (const [generator, value] of Object.entries(details)) {
      const text = typeof value === 'string' ? value : new TextDecoder().decode(value);
      if (!text) continue;
      records.push({ nodeName: node.name, generator, dataFormat: generator === 'lshw' || generator === 'lldp' ? 'text/xml' : 'text/plain', dataElement: text, collectedDate: now });
    }
  }
  for (const [resultType, prefix] of RESULT_TYPES[stage]) {
    const results = (await client.json<MaasResult[]>({ method: 'GET', path: 'commissioning-results/', params: { system_id: systemId, result_type: resultType } })) ?? [];
    for (const r of results) {
      const data = r.data ? decodeBase64(r.data) : null;
      if (!data) continue;
      const updated = r.updated ? new Date(r.updated) : now;
      records.push({ nodeName: node.name, generator: `${prefix}:${r.name ?? 'result'}`, dataFormat: 'text/plain', dataElement: data, collectedDate: Number.isNaN(updated.getTime()) ? now : updated });
    }
  }
  return records;
}
