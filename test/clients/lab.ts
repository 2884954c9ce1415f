/**
 * One fake-lab deploy target for the client replays: the server itself
 * (`src/node.ts`, PORT=0, a temp database, FAKE_LAB_STEP_MS=0) in Keystone
 * mode, as Drydock's clients expect (they all send a Keystone token in
 * X-Auth-Token), an in-test Keystone, and an in-test Deckhand serving the
 * site design as Shipyard's design refs point at it
 * (`deckhand+http://…/revisions/<n>/rendered-documents`) and as a plain
 * http:// document for the CLI's `--design-ref`.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_SERVICE_CREDENTIALS, startFakeKeystone, type FakeKeystone } from '../helpers/fake-keystone.ts';
import { NODE_ENTRY, ROOT, startServer, type Server } from '../helpers/spawn.ts';

const SITE = readFileSync(join(ROOT, 'test/fixtures/designs/site.yaml'), 'utf8');

/**
 * The example site plus a signaling boot action for every node whose unit
 * runs Drydock's Go client, as Airship sites run it: `baclient -url <report
 * url> -id <action id> -keyfile <node key file> -exec <script>`. The key file
 * is the simulated machine's `bootaction.key` (the machine's disk root is
 * FAKE_LAB_DISK_DIR/<hostname>/).
 */
export const CLIENT_SITE_YAML = `${SITE.trimEnd()}
---
schema: drydock/BootAction/v1
metadata:
  schema: metadata/Document/v1
  name: join-cluster
  storagePolicy: cleartext
  layeringDefinition:
    abstract: false
    layer: site
data:
  signaling: true
  assets:
    - path: /etc/systemd/system/join-cluster.service
      type: unit
      permissions: '644'
      data: |
        [Unit]
        Description=Join {{ node.hostname }} to the cluster and report to Drydock

        [Service]
        Type=oneshot
        ExecStart=/usr/local/bin/baclient -url {{ action.report_url }} -id {{ action.action_id }} -keyfile /bootaction.key -exec /opt/join/join.sh

        [Install]
        WantedBy=multi-user.target
      data_pipeline:
        - utf8_decode
        - template
    - path: /opt/join/join.sh
      type: file
      permissions: '555'
      data: |
        #!/bin/sh
        echo "{{ node.hostname }} joins the cluster"
      data_pipeline:
        - utf8_decode
        - template
...
`;

/** Revision 2 of the site: east-cmp01 given east-ctl01's mgmt address, which Drydock's rules refuse. */
export const DUPLICATE_IP_SITE_YAML = CLIENT_SITE_YAML.replace('address: 10.23.20.22', 'address: 10.23.20.21');

export interface FakeDeckhand {
  /** http://127.0.0.1:<port>/api/v1.0 (Deckhand's endpoint in the Keystone catalogue). */
  endpoint: string;
  /** A plain http:// URL of the same design. */
  plainUrl: string;
  /** X-Auth-Token of every request it answered. */
  tokens: Array<string | undefined>;
  close(): Promise<void>;
}

/** Deckhand's rendered documents of revision 1 (CLIENT_SITE_YAML) and 2 (DUPLICATE_IP_SITE_YAML). */
async function startFakeDeckhand(): Promise<FakeDeckhand> {
  const revisions = new Map([['1', CLIENT_SITE_YAML], ['2', DUPLICATE_IP_SITE_YAML]]);
  const tokens: Array<string | undefined> = [];
  const server: HttpServer = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const token = req.headers['x-auth-token'];
    const revision = /^\/api\/v1\.0\/revisions\/(\d+)\/rendered-documents\/?$/.exec(path)?.[1];
    if (revision !== undefined) {
      tokens.push(typeof token === 'string' ? token : undefined);
      // Deckhand refuses a request without a token.
      if (typeof token !== 'string' || token === '') return void res.writeHead(401).end();
      const yaml = revisions.get(revision);
      if (yaml === undefined) return void res.writeHead(404).end();
      return void res.writeHead(200, { 'Content-Type': 'application/x-yaml' }).end(yaml);
    }
    if (path === '/designs/site.yaml') {
      return void res.writeHead(200, { 'Content-Type': 'application/x-yaml' }).end(CLIENT_SITE_YAML);
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    endpoint: `${base}/api/v1.0`,
    plainUrl: `${base}/designs/site.yaml`,
    tokens,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export interface ClientLab {
  server: Server;
  /** The server's base URL, http://127.0.0.1:<port> */
  url: string;
  host: string;
  port: number;
  keystone: FakeKeystone;
  deckhand: FakeDeckhand;
  /** FAKE_LAB_DISK_DIR: <dir>/<hostname>/bootaction.key once a deploy reaches the node. */
  diskDir: string;
  /** A Keystone token of an operator with the admin role (Drydock's default policy). */
  adminToken: string;
  stop(): Promise<void>;
}

export async function startClientLab(opts: { agent: 'on' | 'off'; fail?: string }): Promise<ClientLab> {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-clients-'));
  const keystone = await startFakeKeystone();
  const deckhand = await startFakeDeckhand();
  const diskDir = join(dir, 'lab');
  const c = FAKE_SERVICE_CREDENTIALS;
  let server: Server;
  try {
    server = await startServer(NODE_ENTRY, {
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: `file:${join(dir, 'drydock.db')}`,
      AUTH_MODE: 'keystone',
      KEYSTONE_AUTH_URL: keystone.url,
      KEYSTONE_USERNAME: c.username,
      KEYSTONE_PASSWORD: c.password,
      FAKE_LAB_STEP_MS: '0',
      FAKE_LAB_AGENT: opts.agent,
      FAKE_LAB_FAIL: opts.fail,
      FAKE_LAB_DISK_DIR: diskDir,
      TASK_POLL_INTERVAL_SECONDS: '1',
      BOOTACTION_FINAL_STATUS_TIMEOUT: '60',
      LOG_LEVEL: 'warn',
    });
  } catch (err) {
    await Promise.all([keystone.close(), deckhand.close(), rm(dir, { recursive: true, force: true })]);
    throw err;
  }
  const url = new URL(server.url);
  return {
    server,
    url: server.url,
    host: url.hostname,
    port: Number(url.port),
    keystone,
    deckhand,
    diskDir,
    adminToken: keystone.issueUserToken({ userName: 'operator', roles: ['admin'] }),
    async stop() {
      await server.stop();
      await Promise.all([keystone.close(), deckhand.close()]);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Calls `read` until `done` holds of its answer, every `intervalMs`, failing after `timeoutMs` with the last answer. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 60_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
