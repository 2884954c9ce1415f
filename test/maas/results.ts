import { json } from './http-util.ts';
import { lldpXml, lshwXml } from './probe.ts';
import type { Route } from './router.ts';
import type { SimState } from './state.ts';
import { NODE_STATUS } from './status.ts';

/**
 * commissioning-results/ and installation-results/ (canonical/maas
 * src/maasserver/api/results.py NodeResultsHandler.read): filters come from
 * the query string (`system_id`, `name`, `result_type`), `data` is base64.
 * MAAS's RESULT_TYPE: 0 commissioning, 1 installation, 2 testing. Script names
 * are MAAS's builtin ones (provisioningserver/refresh/node_info_scripts.py).
 */
export function resultRoutes(st: SimState): Route[] {
  let id = 1000;
  const read = (q: URLSearchParams) => {
    const ids = q.getAll('system_id');
    const names = q.getAll('name');
    const type = q.get('result_type');
    const out: Record<string, unknown>[] = [];
    for (const m of st.machines) {
      if (ids.length && !ids.includes(m.systemId)) continue;
      if (!m.commissioned) continue;
      const results: [string, number, string][] = [
        ['maas-lshw', 0, lshwXml(m)],
        ['maas-capture-lldpd', 0, lldpXml(m)],
      ];
      if (m.status === NODE_STATUS.DEPLOYED) results.push(['/tmp/install.log', 1, 'curtin: Installation finished.\n']);
      for (const [name, resultType, data] of results) {
        if (names.length && !names.includes(name)) continue;
        if (type !== null && Number(type) !== resultType) continue;
        out.push({
          created: '2026-01-01T00:00:00.000', updated: '2026-01-01T00:00:00.000', id: id++, name,
          script_result: 0, result_type: resultType, node: { system_id: m.systemId },
          data: Buffer.from(data).toString('base64'), resource_uri: '/MAAS/api/2.0/commissioning-scripts/',
        });
      }
    }
    return out;
  };
  return [
    { path: /^\/commissioning-results\/$/, ops: { GET: (r) => json(read(r.query)) } },
    { path: /^\/installation-results\/$/, ops: { GET: (r) => json(read(new URLSearchParams([...r.query, ['result_type', '1']]))) } },
  ];
}
