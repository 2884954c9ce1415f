import { describe, expect, it } from 'vitest';
import { agents } from '../../src/db/schema/agents.ts';
import { siteInventory } from '../../src/db/schema/inventory.ts';
import type { MachineSummary } from '../../src/drivers/types.ts';
import { jsonOf } from '../helpers/app.ts';
import { ADMIN, agentApp, API, asAgent, newAgent, NOW } from './agents-fixtures.ts';
import { postJson, postYaml, smallSite } from './design-fixtures.ts';
import { auth } from './tasks-fixtures.ts';

// An edge whose driver calls all run at site agents reaches no MAAS: GET
// /nodes and Platform Selection (DD3001) answer from what each site's agent
// reported with POST /agents/inventory.
const AT_AGENTS = { DRIVER_LOCATION: 'agent' };

const machine = (hostname: string, over: Partial<MachineSummary> = {}): MachineSummary => ({
  hostname,
  memory: 65536,
  cpu_count: 16,
  status_name: 'Ready',
  boot_mac: '52:54:00:00:00:01',
  power_state: 'off',
  power_address: '10.0.0.11',
  boot_ip: null,
  ...over,
});

const at = (seconds: number) => new Date(NOW.getTime() + seconds * 1000).toISOString();

const inventory = (over: Record<string, unknown> = {}) => ({
  taken: at(0),
  node_driver: 'maas',
  machines: [machine('east-cmp01')],
  boot_images: { jammy: ['ga-22.04', 'hwe-22.04'] },
  ...over,
});

type App = Awaited<ReturnType<typeof agentApp>>['app'];

async function report(app: App, token: string, body: unknown) {
  const res = await app.request(`${API}/agents/inventory`, asAgent(token, body));
  return { status: res.status, body: await jsonOf(res) };
}

describe('POST /agents/inventory, and GET /nodes at an edge whose calls run at agents', () => {
  it("answers GET /nodes from the sites' reported machines, in Drydock's shape, saying in a header when they were taken", async () => {
    const { app, advance } = await agentApp(AT_AGENTS);
    const east = await newAgent(app, 'east-lab');
    const west = await newAgent(app, 'west-lab');
    // A field beyond Drydock's is not passed on.
    const cmp02 = { ...machine('east-cmp02', { status_name: 'Deployed', power_state: 'on', boot_ip: '10.23.10.12' }), system_id: 'abc123' };
    expect(await report(app, east.token, inventory({ machines: [machine('east-cmp01'), cmp02] }))).toEqual({
      status: 200,
      body: { site: 'east-lab', taken: at(0), stored: true },
    });
    advance(30);
    expect((await report(app, west.token, inventory({ taken: at(29), machines: [machine('west-cmp01')] }))).status).toBe(200);

    const list = await app.request(`${API}/nodes`, auth());
    expect(list.status).toBe(200);
    expect(await jsonOf(list)).toEqual([machine('east-cmp01'), machine('east-cmp02', { status_name: 'Deployed', power_state: 'on', boot_ip: '10.23.10.12' }), machine('west-cmp01')]);
    expect(list.headers.get('X-Drydock-Inventory-Taken')).toBe(at(0));

    const one = await app.request(`${API}/nodes/west-cmp01`, auth());
    expect(await jsonOf(one)).toEqual(machine('west-cmp01'));
    expect(one.headers.get('X-Drydock-Inventory-Taken')).toBe(at(29));
    const unknown = await app.request(`${API}/nodes/east-cmp99`, auth());
    expect(unknown.status).toBe(404);
    expect(await jsonOf(unknown)).toMatchObject({ kind: 'Status', code: 404, message: expect.stringContaining('not in the inventory') });
  });

  it('answers 503 in the error envelope, naming the site, before any agent reported', async () => {
    const { app } = await agentApp(AT_AGENTS);
    const none = await app.request(`${API}/nodes`, auth());
    expect(none.status).toBe(503);
    expect(await jsonOf(none)).toMatchObject({ kind: 'Status', code: 503, retry: true, message: expect.stringContaining('No site agent has reported') });
    await newAgent(app, 'east-lab');
    for (const path of ['/nodes', '/nodes/east-cmp01']) {
      const res = await app.request(`${API}${path}`, auth());
      expect(res.status).toBe(503);
      expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 503, message: 'No inventory from an agent of site east-lab yet' });
    }
  });

  it('keeps the newest reading of a site: an older one posted later (another agent, a retry) changes nothing', async () => {
    const { app, db, advance } = await agentApp(AT_AGENTS);
    const first = await newAgent(app, 'east-lab', 'east-1');
    const second = await newAgent(app, 'east-lab', 'east-2');
    advance(60);
    expect((await report(app, first.token, inventory({ taken: at(50), machines: [machine('new')] }))).body.stored).toBe(true);
    expect((await report(app, second.token, inventory({ taken: at(40), machines: [machine('old')] }))).body).toEqual({ site: 'east-lab', taken: at(40), stored: false });
    // A reading from ahead of the edge's clock counts as taken now.
    const rows = await db.select().from(siteInventory);
    expect(rows.map((r) => [r.site, r.agentId, r.taken.toISOString(), (r.machines as MachineSummary[]).map((m) => m.hostname)])).toEqual([
      ['east-lab', first.id, at(50), ['new']],
    ]);
    expect((await report(app, second.token, inventory({ taken: at(3600), machines: [] }))).body).toEqual({ site: 'east-lab', taken: at(60), stored: true });
    expect(await jsonOf(await app.request(`${API}/nodes`, auth()))).toEqual([]);
  });

  it('answers 400 (401 without an agent token, 413 over the body limit) for a bad inventory, and writes nothing', async () => {
    const { app, db } = await agentApp({ ...AT_AGENTS, MAX_BODY_BYTES: '4096' });
    const agent = await newAgent(app, 'east-lab');
    const [before] = await db.select().from(agents);
    const cases: unknown[] = [
      ['x'],
      {},
      inventory({ taken: 'yesterday' }),
      inventory({ node_driver: '' }),
      inventory({ machines: {} }),
      inventory({ machines: [{ hostname: 'n1' }] }),
      inventory({ machines: [machine('')] }),
      inventory({ machines: [machine('n1', { memory: -1 })] }),
      inventory({ machines: [machine('n1', { cpu_count: 1.5 })] }),
      inventory({ machines: [machine('n1', { boot_mac: 7 as never })] }),
      inventory({ machines: [machine('x'.repeat(256))] }),
      inventory({ boot_images: [] }),
      inventory({ boot_images: { jammy: 'ga-22.04' } }),
      inventory({ boot_images: { jammy: [1] } }),
    ];
    for (const body of cases) {
      const res = await app.request(`${API}/agents/inventory`, asAgent(agent.token, body));
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await jsonOf(res)).toMatchObject({ kind: 'Status', code: 400 });
    }
    const tooBig = await report(app, agent.token, inventory({ machines: Array.from({ length: 40 }, (_, i) => machine(`n${i}`)) }));
    expect(tooBig).toMatchObject({ status: 413, body: { kind: 'Status', code: 413 } });
    expect((await report(app, null as never, inventory())).status).toBe(401);
    // A Keystone token is not an agent token.
    const keystone = await app.request(`${API}/agents/inventory`, { ...asAgent(null, inventory()), headers: { 'Content-Type': 'application/json', 'X-Auth-Token': ADMIN } });
    expect(keystone.status).toBe(401);
    expect(await db.select().from(siteInventory)).toEqual([]);
    expect((await db.select().from(agents))[0]).toEqual(before);
  });
});

describe('Platform Selection (DD3001) at an edge whose calls run at agents', () => {
  const dd3001 = async (app: App, ref: string) => {
    const res = await app.request(`${API}/validatedesign`, postJson({ rel: 'design', href: ref, type: 'application/x-yaml' }));
    const messages = (await jsonOf(res)).details.messageList as Array<{ name: string; level: string; message: string }>;
    return messages.filter((m) => m.name === 'DD3001').map((m) => `${m.level}: ${m.message}`);
  };

  it("checks a design against the boot images its own site's agent reported, again when they change", async () => {
    const { app, advance } = await agentApp(AT_AGENTS);
    // The generated site is Region bench-site; its nodes want focal with ga-20.04.
    const ref = (await jsonOf(await app.request(`${API}/designs`, postYaml(smallSite().yaml)))).href as string;
    expect(await dd3001(app, ref)).toEqual([
      'Warning: Platform Selection: Platform Validation: Could not load images from the node driver (no inventory from an agent of site bench-site yet), image and kernel selections not validated.',
      'Info: Platform Selection: Validation successful.',
    ]);
    const bench = await newAgent(app, 'bench-site');
    const other = await newAgent(app, 'other-site');
    // Another site's images are not this design's.
    await report(app, other.token, inventory({ boot_images: { focal: ['ga-20.04'] } }));
    await report(app, bench.token, inventory({ boot_images: { jammy: ['ga-22.04'] } }));
    advance(11);
    const refused = await dd3001(app, ref);
    expect(refused.filter((m) => m.startsWith('Error'))).toHaveLength(4);
    expect(refused[0]).toBe('Error: Platform Selection: Platform Validation: invalid image focal');
    // The site's MAAS synced focal: the same design passes once the agent reports it.
    await report(app, bench.token, inventory({ taken: at(11), boot_images: { focal: ['ga-20.04', 'hwe-20.04'], jammy: ['ga-22.04'] } }));
    advance(11);
    expect(await dd3001(app, ref)).toEqual(['Info: Platform Selection: Validation successful.']);
  });
});
