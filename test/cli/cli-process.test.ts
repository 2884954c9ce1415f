import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallSite } from '../api/design-fixtures.ts';
import { startTokenServer } from '../helpers/e2e-api.ts';
import { FAKE_SERVICE_CREDENTIALS, startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.ts';
import { NODE_ENTRY, ROOT, startServer, type Server } from '../helpers/spawn.ts';
import { runCli } from './run-cli.ts';

const SITE = join(ROOT, 'test/fixtures/designs/site.yaml');

let dir: string;
let server: Server;
let env: Record<string, string>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dd-cli-'));
  const started = await startTokenServer(NODE_ENTRY, dir, { FAKE_LAB_STEP_MS: '50', FAKE_LAB_FAIL: 'east-cmp01:deploy' });
  server = started.server;
  env = { DRYDOCK_URL: server.url, DRYDOCK_TOKEN: started.token };
});

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** design create -o json: the stored design's ref. */
async function storedRef(file = SITE): Promise<string> {
  const run = await runCli(['design', 'create', file, '-o', 'json'], env);
  expect(run).toMatchObject({ code: 0, stderr: '' });
  return (JSON.parse(run.stdout) as { href: string }).href;
}

describe('drydock-edge against a live server', { timeout: 120_000 }, () => {
  it('design create prints the design:// ref in a table; -o json is the API answer', async () => {
    const run = await runCli(['design', 'create', SITE], env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/│ design_ref\s+│ design:\/\/[0-9a-f-]{36}\s+│/);
    expect(await storedRef()).toMatch(/^design:\/\/[0-9a-f-]{36}$/);
  });

  it('design validate: a good ref passes (exit 0); a broken file fails with its rule and document (exit 1)', async () => {
    const good = await runCli(['design', 'validate', await storedRef()], env);
    expect(good).toMatchObject({ code: 0, stdout: expect.stringContaining('Site design passed validation') });
    const broken = join(dir, 'broken.yaml');
    await writeFile(broken, smallSite().yaml.replace('address: 10.30.0.11', 'address: 192.168.7.7'));
    const bad = await runCli(['design', 'validate', broken], env);
    expect(bad.code).toBe(1);
    expect(bad.stdout.split('\n')[0]).toBe('Site design failed validation.');
    expect(bad.stdout).toMatch(/Error\s+│ DD2002\s+│ .*192\.168\.7\.7/);
    expect(bad.stdout).toContain('drydock/BaremetalNode/v1 node00000');
  });

  it('design list shows a stored ref; design show prints it as sent, -o json as its documents', async () => {
    const ref = await storedRef();
    const list = await runCli(['design', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain(`│ ${ref} `);
    const shown = await runCli(['design', 'show', ref], env);
    expect(shown).toMatchObject({ code: 0, stderr: '' });
    expect(shown.stdout.trimEnd()).toBe((await readFile(SITE, 'utf8')).trimEnd());
    const byId = await runCli(['design', 'show', '-i', ref.slice('design://'.length), '-o', 'json'], env);
    expect(byId.code).toBe(0);
    const docs = JSON.parse(byId.stdout) as Array<{ schema: string; metadata: { name: string } }>;
    expect(docs.find((d) => d.schema === 'drydock/BaremetalNode/v1' && d.metadata.name === 'east-ctl01')).toBeDefined();
    const missing = await runCli(['design', 'show', 'design://00000000-0000-4000-8000-000000000000'], env);
    expect(missing).toMatchObject({ code: 1, stdout: '' });
    expect(missing.stderr).toMatch(/not found/i);
    expect((await runCli(['design', 'show'], env)).code).toBe(2);
  });

  it('nodefilter -n, task create, task show -o json and task list -o yaml read back the same task', async () => {
    const ref = await storedRef();
    const filter = await runCli(['nodefilter', '-d', ref, '-n', 'east-ctl01', '-o', 'json'], env);
    expect(JSON.parse(filter.stdout)).toEqual(['east-ctl01']);
    const created = await runCli(['task', 'create', '-a', 'validate_design', '-d', ref, '-o', 'json'], env);
    expect(created.code).toBe(0);
    const task = JSON.parse(created.stdout) as { task_id: string; action: string };
    expect(task.action).toBe('validate_design');
    const shown = await runCli(['task', 'show', task.task_id, '-o', 'json'], env);
    expect(JSON.parse(shown.stdout)).toMatchObject({ task_id: task.task_id, design_ref: ref });
    const listed = await runCli(['task', 'list', '--output', 'yaml'], env);
    expect(listed.stdout).toContain(`task_id: ${task.task_id}`);
  });

  it("a bad token: the envelope's message on one line, exit 1, no stack", async () => {
    const run = await runCli(['task', 'list'], { ...env, DRYDOCK_TOKEN: 'not-a-token' });
    expect(run).toEqual({ code: 1, stdout: '', stderr: 'Error: Unauthenticated (HTTP 401)\n' });
  });

  it('an unreachable server: one line naming it, exit 2', async () => {
    const closed = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const run = await runCli(['node', 'list', '--url', `http://127.0.0.1:${closed}`], env);
    expect(run).toEqual({ code: 2, stdout: '', stderr: `Error: Cannot reach http://127.0.0.1:${closed}/api/v1.0: connection refused (ECONNREFUSED)\n` });
  });

  it('a usage error (missing -d) exits 2', async () => {
    const run = await runCli(['task', 'create', '-a', 'deploy_nodes'], env);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '-d, --design-ref <design_ref>' not specified");
  });

  it('task create --block: live progress to success, exit 0', async () => {
    const run = await runCli(['task', 'create', '-a', 'prepare_nodes', '-d', await storedRef(), '--block'], env);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/east-ctl01\s+\S+\s+(running|success)/);
    expect(run.stdout.trimEnd().split('\n').at(-1)).toMatch(/^prepare_nodes \S+ success: 3 node\(s\) succeeded, 0 failed in \S+$/);
  });

  it('task create --block on a partial deploy: the failed node and why, exit 1', async () => {
    const run = await runCli(['task', 'create', '-a', 'deploy_nodes', '-d', await storedRef(), '--block'], env);
    expect(run.code).toBe(1);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.find((l) => /^deploy_nodes \S+ partial_success: 2 node\(s\) succeeded, 1 failed/.test(l))).toBeDefined();
    expect(lines.at(-1)).toMatch(/^ {2}east-cmp01: .*failed/);
  });
});

describe('drydock-edge with Keystone (OS_* variables), the server in keystone auth mode', { timeout: 60_000 }, () => {
  let keystone: FakeKeystone;
  let ksServer: Server;
  let ksDir: string;
  const c = FAKE_SERVICE_CREDENTIALS;

  beforeAll(async () => {
    keystone = await startFakeKeystone();
    ksDir = await mkdtemp(join(tmpdir(), 'dd-cli-ks-'));
    ksServer = await startServer(NODE_ENTRY, {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(ksDir, 'd.db')}`,
      DESIGN_KEY_FILE: join(ksDir, 'design-key'),
      AUTH_MODE: 'keystone',
      KEYSTONE_AUTH_URL: keystone.url,
      KEYSTONE_USERNAME: c.username,
      KEYSTONE_PASSWORD: c.password,
    });
  });

  afterAll(async () => {
    await ksServer?.stop();
    await keystone?.close();
    if (ksDir) await rm(ksDir, { recursive: true, force: true });
  });

  const osEnv = (password: string) => ({
    DRYDOCK_URL: ksServer.url,
    OS_AUTH_URL: keystone.baseUrl,
    OS_USERNAME: c.username,
    OS_PASSWORD: password,
    OS_PROJECT_NAME: c.projectName,
    OS_USER_DOMAIN_NAME: c.userDomainName,
    OS_PROJECT_DOMAIN_NAME: c.projectDomainName,
  });

  it('gets a token for the OS_* credentials and the server accepts it', async () => {
    const issuedBefore = keystone.calls.issue;
    const run = await runCli(['task', 'list', '-o', 'json'], osEnv(c.password));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual([]);
    expect(keystone.calls.issue).toBeGreaterThan(issuedBefore);
  });

  it("wrong credentials: Keystone's refusal on one line, exit 2, the password never printed", async () => {
    const run = await runCli(['task', 'list'], osEnv('wrong-password-s3cret'));
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`Error: Keystone refused the OS_* credentials of ${c.username}: The request you have made requires authentication. (HTTP 401)\n`);
    expect(run.stdout + run.stderr).not.toContain('s3cret');
  });

  it('without any credentials the server refuses with its 401 message', async () => {
    const run = await runCli(['task', 'list'], { DRYDOCK_URL: ksServer.url });
    expect(run).toMatchObject({ code: 1, stderr: 'Error: Unauthenticated (HTTP 401)\n' });
  });
});
