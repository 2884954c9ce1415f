import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { json, readRequest, send, text, type MaasReply } from './http-util.ts';
import { advance } from './lifecycle.ts';
import { machineRoutes } from './machines.ts';
import { miscRoutes } from './misc.ts';
import type { MachineSeed, SimMachine } from './model.ts';
import { networkRoutes } from './network-routes.ts';
import { OAuthVerifier, type ApiCredentials } from './oauth.ts';
import { addRackInterface, type RackInterfaceSeed } from './rack.ts';
import { resultRoutes } from './results.ts';
import { dispatch, type Route } from './router.ts';
import { SimState, type LoggedRequest, type Timing } from './state.ts';
import { storageRoutes } from './storage-routes.ts';
import { interfaceRoutes } from './interface-routes.ts';

/**
 * A MAAS region API 2.0 written from canonical/maas src/maasserver/api/ for
 * tests: OAuth PLAINTEXT, the machine lifecycle on a test-driven clock, and
 * fault variants. 127.0.0.1, port 0. See test/maas/README.md.
 */
export interface MaasSimulatorOptions {
  machines?: MachineSeed[];
  timing?: Partial<Timing>;
  credentials?: ApiCredentials;
  /** The rack controller's interfaces (none by default): DHCP needs one on the VLAN or holding the relay target. */
  rackInterfaces?: RackInterfaceSeed[];
  /** boot-resources/ (default: ubuntu/jammy, amd64/ga-22.04). */
  bootResources?: SimState['bootResources'];
  /** Version string version/ answers. */
  version?: string;
}

export interface MaasSimulator {
  /** http://127.0.0.1:<port>/MAAS */
  url: string;
  /** 'consumer:token:secret', as MAAS shows it. */
  apiKey: string;
  state: SimState;
  machines: SimMachine[];
  requests: LoggedRequest[];
  machine(hostname: string): SimMachine;
  addMachine(seed: MachineSeed): SimMachine;
  /** Moves the test clock by `ticks` (default 1). */
  advance(ticks?: number): void;
  /** The next `count` requests answer `status` (503 by default: a region restarting behind its proxy). */
  failNext(count: number, status?: number): void;
  /** The next `count` requests (with this method and op, if given) are read but never answered (for client timeouts). */
  hangNext(count: number, only?: { method?: string; op?: string }): void;
  /** The next `count` requests (with this method and op, if given) are answered, but only after `ms`. */
  slowNext(count: number, ms: number, only?: { method?: string; op?: string }): void;
  failCommissioning(hostname: string): void;
  /** The machine's next commissioning stays in Commissioning whatever the clock does. */
  stallCommissioning(hostname: string): void;
  /** The machine's deploy user_data, base64-decoded once (MAAS's documented encoding); null if none. */
  userDataOf(hostname: string): string | null;
  failDeploy(hostname: string): void;
  /** Requests answered so far, optionally only those with this op. */
  calls(filter?: { method?: string; op?: string | null; path?: RegExp }): LoggedRequest[];
  close(): Promise<void>;
}

const formRecord = (p: URLSearchParams) => {
  const out: Record<string, string[]> = {};
  for (const [k, v] of p) (out[k] ??= []).push(v);
  return out;
};

export async function startMaasSimulator(options: MaasSimulatorOptions = {}): Promise<MaasSimulator> {
  const st = new SimState({ commissionTicks: 3, deployTicks: 5, releaseTicks: 2, ...options.timing });
  if (options.bootResources) st.bootResources = options.bootResources;
  for (const seed of options.rackInterfaces ?? []) addRackInterface(st, seed);
  for (const seed of options.machines ?? []) st.addMachine(seed);
  const creds = options.credentials ?? { consumerKey: 'SimConsumerKey01', tokenKey: 'SimTokenKey00001',
    tokenSecret: 'SimTokenSecret0000000000000000x1' };
  st.apiKey = `${creds.consumerKey}:${creds.tokenKey}:${creds.tokenSecret}`;
  const oauth = new OAuthVerifier(creds, () => Math.floor(Date.now() / 1000));
  const routes: Route[] = [...machineRoutes(st), ...interfaceRoutes(st), ...storageRoutes(st), ...networkRoutes(st),
    ...miscRoutes(st), ...resultRoutes(st)];
  const version = options.version ?? '3.5.0-16309-g.sim';

  const handle = async (r: Awaited<ReturnType<typeof readRequest>>): Promise<MaasReply> => {
    if (st.unavailable > 0) {
      st.unavailable--;
      return text(st.unavailableStatus, st.unavailableStatus === 503 ? 'Service Unavailable' : 'Simulated failure');
    }
    if (!r.fullPath.startsWith('/MAAS/api/2.0/')) return text(404, `Unknown API endpoint: ${r.fullPath}.`);
    if (r.path === '/version/' && r.method === 'GET') {
      return json({ capabilities: ['networks-management', 'static-ipaddresses', 'ipv6-deployment-ubuntu',
        'devices-management', 'storage-deployment-ubuntu', 'network-deployment-ubuntu',
        'bridging-interface-ubuntu', 'bridging-automatic-ubuntu', 'authenticate-api'], version, subversion: '' });
    }
    const auth = oauth.verify(r.headers.authorization);
    if (!auth.ok) {
      return { ...text(auth.status, auth.body), headers: auth.status === 401 ? { 'www-authenticate': 'OAuth realm="API"' } : {} };
    }
    return dispatch(routes, r, r.fullPath);
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      let r: Awaited<ReturnType<typeof readRequest>>;
      try {
        r = await readRequest(req);
      } catch {
        // An unreadable body (e.g. broken multipart): Django answers 400.
        send(res, text(400, 'Bad Request'));
        return;
      }
      const matches = (only: { method?: string; op?: string }) => (!only.method || only.method === r.method) && (!only.op || only.op === r.op);
      if (st.hanging > 0 && matches(st.hangOnly)) {
        st.hanging--;
        // Left open: closeAllConnections() in close() ends it.
        st.requests.push({ method: r.method, path: r.fullPath, op: r.op, query: formRecord(r.query),
          form: formRecord(r.form), status: 0 });
        return;
      }
      if (st.slow > 0 && matches(st.slowOnly)) {
        st.slow--;
        await new Promise((resolve) => setTimeout(resolve, st.slowMs));
      }
      let reply: MaasReply;
      try {
        reply = await handle(r);
      } catch (e) {
        reply = text(500, `Simulator error: ${(e as Error).message}`);
      }
      st.requests.push({ method: r.method, path: r.fullPath, op: r.op, query: formRecord(r.query),
        form: formRecord(r.form), status: reply.status });
      send(res, reply);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/MAAS`,
    apiKey: st.apiKey,
    state: st,
    machines: st.machines,
    requests: st.requests,
    machine(hostname) {
      const m = st.byHostname(hostname);
      if (!m) throw new Error(`no simulated machine ${hostname}`);
      return m;
    },
    addMachine: (seed) => st.addMachine(seed),
    advance: (ticks = 1) => advance(st, ticks),
    failNext(count, status = 503) {
      st.unavailable = count;
      st.unavailableStatus = status;
    },
    hangNext(count, only = {}) {
      st.hanging = count;
      st.hangOnly = only;
    },
    slowNext(count, ms, only = {}) {
      st.slow = count;
      st.slowMs = ms;
      st.slowOnly = only;
    },
    stallCommissioning: (hostname) => void st.stallCommissioning.add(hostname),
    userDataOf(hostname) {
      const data = st.byHostname(hostname)?.userData;
      return data == null ? null : Buffer.from(data, 'base64').toString('utf8');
    },
    failCommissioning: (hostname) => void st.failCommissioning.add(hostname),
    failDeploy: (hostname) => void st.failDeploy.add(hostname),
    calls: (f = {}) => st.requests.filter((q) => (!f.method || q.method === f.method)
      && (f.op === undefined || q.op === f.op) && (!f.path || f.path.test(q.path))),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
