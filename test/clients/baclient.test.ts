import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrydockClient, DrydockSession, type Json } from './drydock-client.ts';
import { pollUntil, startClientLab, type ClientLab } from './lab.ts';

// Drydock's Go boot action client (go/src/baclient, airshipit/drydock) with
// only the node key file, against a fake-lab deploy with FAKE_LAB_AGENT=off:
// the test is the node. It fetches its units and files with the node key (as
// the node's deploy script does), and for each signaling action runs what
// the rendered unit runs, `baclient -url … -id … -keyfile … -exec …`, doing
// exactly baclient's requests: a start message, then the final status.

const run = promisify(execFile);
const ULID = '[0-9A-HJKMNP-TV-Z]{26}';

let lab: ClientLab;
let client: DrydockClient;
let work: string;

beforeAll(async () => {
  lab = await startClientLab({ agent: 'off' });
  work = await mkdtemp(join(tmpdir(), 'baclient-'));
  client = new DrydockClient(new DrydockSession({ host: lab.host, port: lab.port, authGen: () => [['X-Auth-Token', lab.adminToken]] }));
});

afterAll(async () => {
  await lab?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * config.go readKeyFile: bufio ReadString('\n'); a file without a newline is
 * an error there, and parseConfig then keeps an empty key. Trims "\n" only.
 */
async function readKeyFile(path: string): Promise<string> {
  const text = await readFile(path, 'utf8');
  const end = text.indexOf('\n');
  if (end < 0) return '';
  return text.slice(0, end + 1).replace(/^\n+|\n+$/g, '');
}

/** api_client.go post: JSON body, X-Bootaction-Key and Content-Type; >= 400 is an error. */
async function baclientPost(url: string, key: string, msg: { status?: string; details: Array<{ message: string; error: boolean }> }): Promise<Response> {
  // types.go BootactionMessage: status is omitempty, details always present.
  const body = JSON.stringify(msg.status ? { status: msg.status, details: msg.details } : { details: msg.details });
  return fetch(url, {
    method: 'POST',
    headers: { 'X-Bootaction-Key': key, 'Content-Type': 'application/json', 'User-Agent': 'Go-http-client/1.1' },
    body,
  });
}

/**
 * baclient.go reportExecution with -exec: renderURL is "<url>/<id>/"; posts
 * "Bootaction starting execution." (no status), runs the executable, then
 * posts success or failure (types.go: lowercase). Returns each answer's status.
 */
async function baclientExec(args: { url: string; id: string; key: string; ran: boolean }): Promise<number[]> {
  const url = `${args.url}/${args.id}/`;
  const first = await baclientPost(url, args.key, { details: [{ message: 'Bootaction starting execution.', error: false }] });
  if (first.status >= 400) return [first.status];
  const final = args.ran
    ? { status: 'success', details: [{ message: 'Bootaction execution successful.', error: false }] }
    : { status: 'failure', details: [{ message: 'Bootaction execution failed.', error: true }] };
  return [first.status, (await baclientPost(url, args.key, final)).status];
}

/** Unpacks a gzip tarball with the system's tar, as the node does; answers every file's path and text. */
async function untar(bytes: ArrayBuffer, into: string): Promise<Map<string, string>> {
  const archive = `${into}.tar.gz`;
  await writeFile(archive, Buffer.from(bytes));
  await run('mkdir', ['-p', into]);
  await run('tar', ['-xzf', archive, '-C', into]);
  const files = new Map<string, string>();
  for (const entry of await readdir(into, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) {
      const full = join(entry.parentPath, entry.name);
      files.set(full.slice(into.length), await readFile(full, 'utf8'));
    }
  }
  return files;
}

describe("Drydock's Go baclient with only the node key file", { timeout: 120_000 }, () => {
  it('fetches its units and files and signals every signaling action of its node; deploy_nodes succeeds', async () => {
    const ref = `deckhand+${lab.deckhand.endpoint}/revisions/1/rendered-documents`;
    const prepared = await client.create_task(ref, 'prepare_nodes');
    await pollUntil(() => client.get_task(prepared.task_id), (t: Json) => t.status === 'complete', 'prepare_nodes');
    const deploy = await client.create_task(ref, 'deploy_nodes');

    const nodes = ['east-ctl01', 'east-cmp01', 'east-cmp02'];
    const reported = new Map<string, string[]>();
    for (const node of nodes) {
      const keyFile = join(lab.diskDir, node, 'bootaction.key');
      // The key and its newline are written in one write: once the 64 hex digits show, all of it has.
      await pollUntil(() => readFile(keyFile, 'utf8').catch(() => ''), (k) => k.length >= 64, `${node}'s bootaction.key`);
      const key = await readKeyFile(keyFile);
      expect(key, 'baclient reads the key up to its newline').toMatch(/^[0-9a-f]{64}$/);

      const headers = { 'X-Bootaction-Key': key };
      const units = await fetch(`${lab.url}/api/v1.0/bootactions/nodes/${node}/units`, { headers });
      const files = await fetch(`${lab.url}/api/v1.0/bootactions/nodes/${node}/files`, { headers });
      expect([units.status, files.status]).toEqual([200, 200]);
      const tree = new Map([
        ...(await untar(await units.arrayBuffer(), join(work, `${node}-units`))),
        ...(await untar(await files.arrayBuffer(), join(work, `${node}-files`))),
      ]);

      // Every node runs join-cluster's unit: baclient with the node key file.
      const unit = tree.get('/etc/systemd/system/join-cluster.service');
      const execStart = new RegExp(`ExecStart=/usr/local/bin/baclient -url (\\S+) -id (${ULID}) -keyfile (\\S+) -exec (\\S+)`).exec(unit ?? '');
      expect(execStart, `${node}'s join-cluster unit`).not.toBeNull();
      const [, reportUrl, joinId, keyPath, exe] = execStart!;
      expect(tree.has(exe!)).toBe(true);
      // The key file named in the unit is the machine's bootaction.key (its disk root is <dir>/<host>).
      const keyFromUnit = await readKeyFile(join(lab.diskDir, node, keyPath!));
      const ids = [joinId!];
      // east-ctl01 also has hello-control, whose script reports to <report_url><id>/.
      const hello = tree.get('/opt/hello/hello.sh');
      if (hello) ids.push(new RegExp(`bootactions/(${ULID})/`).exec(hello)![1]!);
      expect(ids.length).toBe(node === 'east-ctl01' ? 2 : 1);

      for (const id of ids) {
        // config.go: with -keyfile only, the key is the file's first line.
        expect(await baclientExec({ url: reportUrl!, id, key: keyFromUnit, ran: true })).toEqual([200, 200]);
      }
      reported.set(node, ids);
    }

    const done = await pollUntil(() => client.get_task(deploy.task_id), (t: Json) => t.status === 'complete', 'deploy_nodes');
    expect([done.result.status, [...done.result.successes].sort(), done.result.failures]).toEqual(['success', [...nodes].sort(), []]);
    // Each signal's details became messages of the deploy task (bootaction context).
    const layered = await client.get_task(deploy.task_id, { layers: -1 });
    const messages = Object.values(layered).flatMap((t: Json) => t?.result?.details?.messageList ?? []);
    const fromBaclient = messages.filter((m: Json) => m.context_type === 'bootaction');
    expect(fromBaclient.filter((m: Json) => m.message === 'Bootaction execution successful.').length).toBe([...reported.values()].flat().length);
  });

  it('a key file without its newline gives baclient an empty key, which is refused with 401', async () => {
    const path = join(work, 'no-newline.key');
    await writeFile(path, 'ab'.repeat(32));
    const key = await readKeyFile(path);
    expect(key).toBe('');
    const res = await baclientPost(`${lab.url}/api/v1.0/bootactions/${'0'.repeat(26)}/`, key, { details: [{ message: 'x', error: false }] });
    expect(res.status).toBe(401);
  });
});
