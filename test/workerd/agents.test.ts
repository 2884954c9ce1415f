import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleWorker, startWorker, type WorkerBundle, type WorkerInstance } from '../helpers/worker-bundle.ts';

// The agent API on Workers + D1: token creation (Web Crypto randomness and
// digests), the Bearer check, and a lease through D1's UPDATE … RETURNING.

const TOKEN = 'workerd-agents-admin';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

let bundle: WorkerBundle;
let worker: WorkerInstance;

beforeAll(async () => {
  bundle = await bundleWorker();
  worker = await startWorker(bundle.scriptPath, { AUTH_MODE: 'token', AUTH_TOKENS: `ops:admin:${sha256(TOKEN)}`, LOG_LEVEL: 'warn' });
});

afterAll(async () => {
  await worker?.dispose();
  await bundle?.cleanup();
});

const post = (path: string, body: unknown, headers: Record<string, string>) =>
  worker.fetch(path, { method: 'POST', body: JSON.stringify(body), headers: { ...headers, 'Content-Type': 'application/json' } });

describe('site agents in workerd', () => {
  it('creates a token, keeps its digest in D1, and leases a call of its site once', async () => {
    const created = await post('/api/v1.0/agents', { name: 'east-1', site: 'east-lab' }, { 'X-Auth-Token': TOKEN });
    expect(created.status).toBe(201);
    const { agent_id: agentId, token } = (await created.json()) as { agent_id: string; token: string };
    expect(token).toMatch(/^dda_[A-Za-z0-9_-]{43}$/);
    const db = await worker.mf.getD1Database('DB');
    const stored = await db.prepare('select token_digest from agents where agent_id = ?').bind(agentId).first<{ token_digest: string }>();
    expect(stored?.token_digest).toBe(sha256(token));
    await db
      .prepare(
        `insert into driver_calls (call_id, site, task_id, node_name, action, driver, seq, request, state, created)
         values ('c1', 'east-lab', 't1', 'cmp01', 'identify_node', 'node', 1, '{"design":{"content_hash":null},"memo":null}', 'queued', ?)`,
      )
      .bind(Date.now())
      .run();
    const bearer = { Authorization: `Bearer ${token}` };
    const leased = await post('/api/v1.0/agents/lease', { wait_seconds: 0 }, bearer);
    expect(leased.status).toBe(200);
    const { calls } = (await leased.json()) as { calls: Array<{ call_id: string; lease_id: string; attempt: number }> };
    expect(calls).toMatchObject([{ call_id: 'c1', attempt: 1 }]);
    const again = await post('/api/v1.0/agents/lease', { wait_seconds: 0 }, bearer);
    expect(((await again.json()) as { calls: unknown[] }).calls).toEqual([]);
    const result = await post('/api/v1.0/agents/calls/c1/result', { lease_id: calls[0]!.lease_id, progress: { state: 'done' } }, bearer);
    expect(result.status).toBe(200);
    const row = await db.prepare("select state, result, lease_agent from driver_calls where call_id = 'c1'").first<Record<string, string>>();
    expect(row).toEqual({ state: 'done', result: '{"state":"done"}', lease_agent: agentId });
    const refused = await post('/api/v1.0/agents/heartbeat', {}, { Authorization: `Bearer dda_${'x'.repeat(43)}` });
    expect(refused.status).toBe(401);
  });
});
