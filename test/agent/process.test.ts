import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AGENT_ENTRY, DENO_ENTRY, spawnProcess, type Spawned } from '../helpers/spawn.ts';
import type { FakeEdge } from './fake-edge.ts';
import { DESIGN, SITE, TOKEN, startEdge, tempDir, until } from './harness.ts';

// `npm run agent` minus npm: Node with tsx as its loader, as the script runs it.
// `npm run agent:deno`: the server's Deno flags, the agent's entry.
const AGENT_DENO = [...DENO_ENTRY.slice(0, -1), 'src/agent-deno.ts'];
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

let edge: FakeEdge | undefined;
let proc: Spawned | undefined;
let temp: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  await proc?.stop();
  await edge?.stop();
  temp?.remove();
  edge = proc = temp = undefined;
});

function stderrOf(p: Spawned): () => string {
  let text = '';
  p.child.stderr!.on('data', (d: string) => (text += d));
  return () => text;
}

describe('npm run agent (a Node process)', () => {
  it.each([
    ['Node', AGENT_ENTRY],
    ['Deno', AGENT_DENO],
  ])('%s: exits with code 3 and exactly one line on stderr when the edge refuses its token', async (_runtime, argv) => {
    edge = await startEdge();
    temp = tempDir();
    const wrong = `dda_${'w'.repeat(43)}`;
    proc = spawnProcess(argv, { EDGE_URL: edge.url, AGENT_TOKEN: wrong, SITE, AGENT_SPOOL_DIR: temp.dir, LOG_LEVEL: 'debug' });
    const stderr = stderrOf(proc);
    expect(await proc.exited).toBe(3);
    expect(stderr()).toBe(`agent token refused by ${edge.url}: revoked or wrong AGENT_TOKEN\n`);
    expect(proc.output()).not.toContain(wrong);
    expect(edge.requests.length).toBeGreaterThan(0);
    expect(edge.requests.every((r) => r.status === 401)).toBe(true);
  });

  it('runs calls with the fake lab drivers, heartbeats what it has, and never prints its token', async () => {
    edge = await startEdge();
    temp = tempDir();
    const hash = edge.addDesign(DESIGN);
    const power = edge.enqueue({ node: 'east-cmp01', action: 'power_on_node', driver: 'oob:fake', contentHash: hash });
    const site = edge.enqueue({ node: null, action: 'validate_node_services', driver: 'node', contentHash: hash });
    proc = spawnProcess(AGENT_ENTRY, {
      EDGE_URL: edge.url,
      AGENT_TOKEN: TOKEN,
      SITE,
      AGENT_SPOOL_DIR: temp.dir,
      LOG_LEVEL: 'debug',
      FAKE_LAB_STEP_MS: '0',
      IPMITOOL_PATH: '/nonexistent/ipmitool',
      VIRSH_PATH: process.execPath, // an executable: reported present
    });
    await until(() => power.state === 'done' && site.state === 'done', 20_000, 'both results');
    expect(site.result?.progress).toEqual({ state: 'done', detail: expect.stringContaining('fake lab') });
    expect(['done', 'pending']).toContain((power.result?.progress as { state: string }).state);
    const [beat] = edge.recorded(/^\/heartbeat$/);
    expect(beat?.body).toEqual({ version: VERSION, drivers: ['node:fake', 'oob:fake'], tools: { ipmitool: false, virsh: true } });
    expect(await proc.stop()).toBe(0);
    expect(proc.records().some((r) => r.msg === 'result posted')).toBe(true);
    expect(proc.output()).not.toContain(TOKEN);
    expect(proc.output()).not.toContain(TOKEN.slice(4, 24));
  });

  it('stops at start with one line naming a missing setting', async () => {
    temp = tempDir();
    proc = spawnProcess(AGENT_ENTRY, { EDGE_URL: 'http://127.0.0.1:9', SITE, AGENT_SPOOL_DIR: temp.dir, AGENT_TOKEN: undefined });
    const stderr = stderrOf(proc);
    expect(await proc.exited).toBe(1);
    expect(stderr()).toBe('invalid configuration: AGENT_TOKEN: is required: the token an admin created with POST /api/v1.0/agents\n');
  });
});
