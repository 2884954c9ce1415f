import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TokenRefused } from '../../src/agent/edge-client.ts';
import type { FakeEdge } from './fake-edge.ts';
import { cleanUp, DESIGN, FAST, SITE, TOKEN, pause, scriptedDrivers, startAgent, startEdge, tempDir, until, type TestAgent } from './harness.ts';

let edge: FakeEdge | undefined;
let running: TestAgent | undefined;
let temp: ReturnType<typeof tempDir> | undefined;

afterEach(async () => {
  await cleanUp(edge, running, temp);
  edge = running = temp = undefined;
});

const spooled = (dir: string) => readdirSync(dir).filter((n) => n.endsWith('.json'));

describe('site agent: leasing, running, posting', () => {
  it('runs a leased call with the driver the call names and posts its answer under the lease it was given', async () => {
    edge = await startEdge();
    temp = tempDir();
    const hash = edge.addDesign(DESIGN);
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: hash, memo: { phase: 2 } });
    const seen: unknown[] = [];
    running = await startAgent(edge.url, temp.dir, {
      drivers: scriptedDrivers(async (action, node, memo) => {
        seen.push({ action, node: node?.name, oob: node?.oob.type, memo });
        return { state: 'pending', retryAfterMs: 5000, memo: { phase: 3 }, detail: 'still identifying' };
      }),
    });
    await until(() => call.state === 'done', 5000, 'the result');
    // The driver got the design's node (compiled from the pinned text) and the call's memo.
    expect(seen).toEqual([{ action: 'identify_node', node: 'east-cmp01', oob: 'ipmi', memo: { phase: 2 } }]);
    const [lease] = edge.recorded(/^\/lease$/);
    const [post] = edge.recorded(/\/result$/);
    expect(post?.body).toEqual({
      lease_id: call.lease_id,
      progress: { state: 'pending', retry_after_ms: 5000, memo: { phase: 3 }, detail: 'still identifying' },
    });
    expect(post?.status).toBe(200);
    expect(lease?.body).toEqual({ wait_seconds: 1, max: 1 });
    // Every request carried the agent token as a Bearer token, never as X-Auth-Token.
    expect(edge.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const [beat] = edge.recorded(/^\/heartbeat$/);
    expect(beat?.body).toEqual({ version: '0.1.0', drivers: ['node:scripted'], tools: { ipmitool: false, virsh: false } });
    await until(() => spooled(temp!.dir).length === 0, 2000, 'the spool to empty');
  });

  it('heartbeats on its interval while it waits for calls', async () => {
    edge = await startEdge();
    temp = tempDir();
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => ({ state: 'done' })), timings: { ...FAST, heartbeatMs: 50 } });
    await until(() => edge!.recorded(/^\/heartbeat$/).length >= 4, 3000, 'heartbeats');
    const beats = edge.recorded(/^\/heartbeat$/);
    expect(beats.slice(1).every((b, i) => b.at - beats[i]!.at < 400)).toBe(true);
  });

  it('sends build data after interrogate_node finished, and reuses a compiled design by its hash', async () => {
    edge = await startEdge();
    temp = tempDir();
    const hash = edge.addDesign(DESIGN);
    const first = edge.enqueue({ node: 'east-cmp01', action: 'interrogate_node', driver: 'node', contentHash: hash });
    const second = edge.enqueue({ node: 'east-cmp02', action: 'interrogate_node', driver: 'node', contentHash: hash });
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => ({ state: 'done' }), true) });
    await until(() => first.state === 'done' && second.state === 'done', 5000, 'both results');
    expect(first.result?.build_data).toEqual([
      { generator: 'commission:lshw', data_format: 'text/plain', data_element: 'lshw of east-cmp01', collected_date: '2026-01-01T00:00:00.000Z' },
    ]);
    expect(edge.recorded(/^\/designs\//)).toHaveLength(1);
  });

  it('says why it has no build data for a finished interrogate_node when the driver could not collect it', async () => {
    edge = await startEdge();
    temp = tempDir();
    const hash = edge.addDesign(DESIGN);
    const call = edge.enqueue({ node: 'east-cmp01', action: 'interrogate_node', driver: 'node', contentHash: hash });
    const drivers = scriptedDrivers(async () => ({ state: 'done' }));
    drivers.node.collectBuildData = async () => Promise.reject(new Error('MAAS answered HTTP 500'));
    running = await startAgent(edge.url, temp.dir, { drivers });
    await until(() => call.state === 'done', 5000, 'the result');
    expect(call.result).toMatchObject({ progress: { state: 'done' }, build_data_error: 'Error: MAAS answered HTTP 500' });
    expect(call.result?.build_data).toBeUndefined();
  });

  it('fails a call it cannot run truthfully: an OOB driver not enabled here, a design whose text does not match its hash', async () => {
    edge = await startEdge();
    temp = tempDir();
    const hash = edge.addDesign(DESIGN);
    const oob = edge.enqueue({ node: 'east-cmp01', action: 'power_on_node', driver: 'oob:ipmi', contentHash: hash });
    const forged = 'f'.repeat(64);
    edge.designs.set(forged, { text: DESIGN, contentType: 'application/yaml' });
    const bad = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: forged });
    let ran = 0;
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => (ran++, { state: 'done' })) });
    await until(() => oob.state === 'done' && bad.state === 'done', 5000, 'both results');
    expect(oob.result?.progress).toEqual({ state: 'failed', reason: expect.stringContaining('OOB driver ipmi is not enabled at this site agent') });
    expect(bad.result?.progress).toEqual({ state: 'failed', reason: expect.stringContaining(`not ${forged}`) });
    expect(ran).toBe(0);
  });

  it('runs no call of a design whose Region is another site, nor for a node the design does not have', async () => {
    edge = await startEdge();
    temp = tempDir();
    const west = edge.addDesign(DESIGN.replace('  name: east-lab\n', '  name: west-lab\n'));
    const other = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: west });
    const missing = edge.enqueue({ node: 'east-cmp99', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    let ran = 0;
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => (ran++, { state: 'done' })) });
    await until(() => other.state === 'done' && missing.state === 'done', 5000, 'both results');
    expect(other.result?.progress).toEqual({ state: 'failed', reason: `the design is of site west-lab; this agent serves site ${SITE}` });
    expect(missing.result?.progress).toEqual({ state: 'failed', reason: 'node east-cmp99 is not in the site design' });
    expect(ran).toBe(0);
  });

  it('posts nothing for a call it was stopped from running (the design never came): the lease expires instead', async () => {
    edge = await startEdge();
    temp = tempDir();
    edge.faults.push({ path: /^\/designs\//, status: 503, left: 1000 });
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    let ran = 0;
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => (ran++, { state: 'done' })) });
    await until(() => edge!.recorded(/^\/designs\//).length >= 2, 5000, 'design fetches');
    running.agent.stop();
    expect(await running.done).toBeUndefined();
    expect(edge.recorded(/\/result$/)).toEqual([]);
    expect(call.state).toBe('leased');
    expect(spooled(temp.dir)).toEqual([]);
    expect(ran).toBe(0);
  });

  it('renews the lease every third of it while a long call runs, so its result is still accepted', async () => {
    edge = await startEdge({ leaseSeconds: 0.6 });
    temp = tempDir();
    const call = edge.enqueue({ node: 'east-cmp01', action: 'deploy_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => (await pause(1500), { state: 'done' })) });
    await until(() => call.state === 'done', 5000, 'the result');
    const renewals = edge.recorded(/\/renew$/);
    // 1.5 s of a 0.6 s lease: without renewals it would have expired twice over and the result answered 409.
    expect(renewals.length).toBeGreaterThanOrEqual(3);
    expect(renewals.every((r) => r.status === 200 && (r.body as { lease_id: string }).lease_id === call.lease_id)).toBe(true);
    const gaps = renewals.slice(1).map((r, i) => r.at - renewals[i]!.at);
    expect(Math.max(...gaps)).toBeLessThan(450);
    expect(edge.recorded(/\/result$/).map((r) => r.status)).toEqual([200]);
  });
});

describe('site agent: never losing a result', () => {
  it('keeps a result in the spool (0600) while the edge is down and posts it once it is back on the same port', async () => {
    edge = await startEdge();
    temp = tempDir();
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    const server = edge;
    running = await startAgent(edge.url, temp.dir, {
      drivers: scriptedDrivers(async () => {
        await server.stop(); // the edge goes down while the call runs
        return { state: 'done', detail: 'identified' };
      }),
    });
    await until(() => spooled(temp!.dir).length === 1, 5000, 'the spooled result');
    const [file] = spooled(temp.dir);
    expect(statSync(join(temp.dir, file!)).mode & 0o777).toBe(0o600);
    expect(statSync(temp.dir).mode & 0o777).toBe(0o700);
    await pause(300); // a few failed posts, backing off
    expect(call.state).toBe('leased');
    await edge.start();
    await until(() => call.state === 'done', 5000, 'the re-posted result');
    expect(call.result).toEqual({ lease_id: call.lease_id, progress: { state: 'done', detail: 'identified' }, build_data: undefined });
    await until(() => spooled(temp!.dir).length === 0, 2000, 'the spool to empty');
    expect(running.logs.some((l) => l.includes('edge unreachable (posting a result)'))).toBe(true);
  });

  it('posts what a stopped agent left in the spool first thing at its next start', async () => {
    edge = await startEdge();
    temp = tempDir();
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    const server = edge;
    const first = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => (await server.stop(), { state: 'done' })) });
    await until(() => spooled(temp!.dir).length === 1, 5000, 'the spooled result');
    first.agent.stop();
    expect(await first.done).toBeUndefined();
    expect(spooled(temp.dir)).toHaveLength(1);
    await edge.start();
    const before = edge.requests.length;
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => ({ state: 'done' })) });
    await until(() => call.state === 'done', 5000, 'the result');
    expect(edge.requests[before]?.path).toBe(`/calls/${call.call_id}/result`);
    expect(spooled(temp.dir)).toEqual([]);
  });

  it('drops a result the edge answers 409 (another lease holds the call), without retrying it', async () => {
    edge = await startEdge();
    temp = tempDir();
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    const server = edge;
    running = await startAgent(edge.url, temp.dir, {
      drivers: scriptedDrivers(async () => (server.replaceLease(call.call_id), { state: 'done' })),
    });
    await until(() => edge!.recorded(/\/result$/).length === 1, 5000, 'the post');
    expect(edge.recorded(/\/result$/)[0]?.status).toBe(409);
    expect(call.result).toBeNull();
    await until(() => spooled(temp!.dir).length === 0, 2000, 'the spool to empty');
    // One post, not retried: a 409 is final.
    await pause(200);
    expect(edge.recorded(/\/result$/)).toHaveLength(1);
    expect(readdirSync(temp.dir).filter((n) => n.endsWith('.rejected'))).toEqual([]);
  });

  it('sets aside (keeps, does not retry) a spooled result the edge refuses with 400', async () => {
    edge = await startEdge();
    temp = tempDir();
    const { openSpool } = await import('../../src/agent/spool.ts');
    const spool = await openSpool(temp.dir);
    const call = edge.enqueue({ node: 'east-cmp01', action: 'identify_node', driver: 'node', contentHash: edge.addDesign(DESIGN) });
    await spool.write({ call_id: call.call_id, body: { lease_id: 'x', progress: { state: 'bogus' } as never }, spooled: new Date().toISOString() });
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => ({ state: 'done' })) });
    await until(() => readdirSync(temp!.dir).some((n) => n.endsWith('.rejected')), 5000, 'the set-aside file');
    expect(edge.recorded(/\/result$/)[0]?.status).toBe(400);
    expect(running.logs.some((l) => l.includes('the edge refused a result'))).toBe(true);
  });
});

describe('site agent: the token', () => {
  it('stops with TokenRefused when the edge revokes the token mid-run, and never logs the token', async () => {
    edge = await startEdge();
    temp = tempDir();
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => ({ state: 'done' })) });
    await until(() => edge!.recorded(/^\/lease$/).length > 0, 5000, 'a lease');
    edge.revoked = true;
    const err = await running.done;
    expect(err).toBeInstanceOf(TokenRefused);
    expect((err as Error).message).toBe(`agent token refused by ${edge.url}: revoked or wrong AGENT_TOKEN`);
    expect(running.logs.join('\n')).not.toContain(TOKEN);
    expect(running.logs.join('\n')).not.toContain(TOKEN.slice(4, 20));
  });

  it('refuses to run the calls of another site than SITE', async () => {
    edge = await startEdge({ site: 'west-lab' });
    temp = tempDir();
    running = await startAgent(edge.url, temp.dir, { drivers: scriptedDrivers(async () => ({ state: 'done' })) });
    const err = (await running.done) as Error;
    expect(err.message).toBe(`AGENT_TOKEN belongs to site west-lab, but SITE is ${SITE}: refusing to run its calls with this site's settings`);
    expect(edge.recorded(/^\/lease$/)).toEqual([]);
  });
});
