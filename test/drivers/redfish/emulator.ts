import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';

/**
 * A Redfish service written from DMTF DSP0266 (protocol) and the
 * ServiceRoot, SessionService, ComputerSystem schemas: the resources the
 * driver uses, a power state that takes `powerDelayMs` to change, and the
 * variants real BMCs show. 127.0.0.1 only.
 */
export interface EmulatorOptions {
  account?: string;
  credential?: string;
  /** `session`: a SessionService (Basic also accepted, as DSP0266 requires); `basic`: no SessionService. */
  auth?: 'session' | 'basic';
  systems?: number;
  /** What a boot override PATCH answers (DSP0266 allows 200 with the resource, 202, 204). */
  patchStatus?: 200 | 202 | 204;
  /** How long PoweringOn/PoweringOff lasts; Infinity: the state never arrives. */
  powerDelayMs?: number;
  power?: 'On' | 'Off';
  /** ResetType@Redfish.AllowableValues; null: not advertised. */
  resetTypes?: string[] | null;
  /** A careless BMC that repeats the login it refused (to check we mask it). */
  echoRefusedLogin?: boolean;
  /** Keeps the PATCH answer but not the override (a BMC that ignores it). */
  dropBootOverride?: boolean;
  /** The override shows this long after the PATCH (a BMC that applies it later, e.g. after a 202). */
  bootApplyDelayMs?: number;
  tls?: { key: string; cert: string } | null;
}

export interface EmulatedSystem {
  id: string;
  power: string;
  /** When the power state in `target` arrives (ms epoch). */
  settle: { target: string; at: number } | null;
  boot: { BootSourceOverrideEnabled: string; BootSourceOverrideTarget: string };
  resets: string[];
}

export interface Emulator {
  url: string;
  port: number;
  systems: EmulatedSystem[];
  /** Open sessions (logins not yet logged out). */
  sessions: Map<string, string>;
  requests: Array<{ method: string; path: string; auth: 'token' | 'basic' | 'none' }>;
  close(): Promise<void>;
}

const SYSTEMS = '/redfish/v1/Systems';
const SESSIONS = '/redfish/v1/SessionService/Sessions';
const BOOT_TARGETS = ['None', 'Pxe', 'Hdd', 'Cd', 'BiosSetup', 'UefiHttp'];

function errorBody(status: number, messageId: string, message: string) {
  return { error: { code: `Base.1.8.${messageId}`, message, '@Message.ExtendedInfo': [{ MessageId: `Base.1.8.${messageId}`, Message: message, Severity: status >= 500 ? 'Critical' : 'Warning' }] } };
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const account = options.account ?? 'admin';
  const credential = options.credential ?? 'bmc-secret-1';
  const auth = options.auth ?? 'session';
  const delay = options.powerDelayMs ?? 0;
  const resetTypes = options.resetTypes === undefined ? ['On', 'ForceOff', 'GracefulShutdown', 'GracefulRestart', 'ForceRestart', 'PushPowerButton'] : options.resetTypes;
  const systems: EmulatedSystem[] = Array.from({ length: options.systems ?? 1 }, (_, i) => ({
    id: `System${i + 1}`,
    power: options.power ?? 'Off',
    settle: null,
    boot: { BootSourceOverrideEnabled: 'Disabled', BootSourceOverrideTarget: 'None' },
    resets: [],
  }));
  const sessions = new Map<string, string>();
  const requests: Emulator['requests'] = [];
  let etag = 1;

  const powerOf = (s: EmulatedSystem) => {
    if (s.settle && Date.now() >= s.settle.at) {
      s.power = s.settle.target;
      s.settle = null;
    }
    return s.power;
  };
  const change = (s: EmulatedSystem, target: 'On' | 'Off') => {
    if (powerOf(s) === target) return;
    if (delay === 0) s.power = target;
    else {
      s.power = target === 'On' ? 'PoweringOn' : 'PoweringOff';
      s.settle = { target, at: Date.now() + delay };
    }
  };
  const systemBody = (s: EmulatedSystem) => ({
    '@odata.id': `${SYSTEMS}/${s.id}`,
    '@odata.type': '#ComputerSystem.v1_13_0.ComputerSystem',
    Id: s.id,
    Name: `Emulated ${s.id}`,
    SystemType: 'Physical',
    Manufacturer: 'Drydock Edge Test',
    Model: 'Emulated BMC',
    SerialNumber: `SN-${s.id}`,
    BiosVersion: '1.0.0',
    PowerState: powerOf(s),
    Status: { State: 'Enabled', Health: 'OK' },
    ProcessorSummary: { Count: 2 },
    MemorySummary: { TotalSystemMemoryGiB: 64 },
    Boot: { ...s.boot, 'BootSourceOverrideTarget@Redfish.AllowableValues': BOOT_TARGETS },
    Actions: {
      '#ComputerSystem.Reset': {
        target: `${SYSTEMS}/${s.id}/Actions/ComputerSystem.Reset`,
        ...(resetTypes ? { 'ResetType@Redfish.AllowableValues': resetTypes } : {}),
      },
    },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = new URL(req.url ?? '/', 'http://x').pathname.replace(/\/$/, '') || '/';
    const method = req.method ?? 'GET';
    const token = req.headers['x-auth-token'];
    const basic = req.headers.authorization?.startsWith('Basic ') ? Buffer.from(req.headers.authorization.slice(6), 'base64').toString('utf8') : null;
    requests.push({ method, path, auth: token ? 'token' : basic ? 'basic' : 'none' });
    const send = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'OData-Version': '4.0', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    let json: Record<string, unknown> = {};
    if (raw) {
      try {
        json = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return send(400, errorBody(400, 'MalformedJSON', 'The request body is not valid JSON.'));
      }
    }

    if (path === '/redfish/v1' && method === 'GET') {
      return send(200, {
        '@odata.id': '/redfish/v1/',
        '@odata.type': '#ServiceRoot.v1_5_0.ServiceRoot',
        Id: 'RootService',
        Name: 'Root Service',
        RedfishVersion: '1.6.0',
        Systems: { '@odata.id': SYSTEMS },
        ...(auth === 'session'
          ? { SessionService: { '@odata.id': '/redfish/v1/SessionService' }, Links: { Sessions: { '@odata.id': SESSIONS } } }
          : { Links: {} }),
      });
    }
    if (auth === 'session' && path === SESSIONS && method === 'POST') {
      if (json.UserName !== account || json.Password !== credential) {
        const echo = options.echoRefusedLogin ? ` (${String(json.UserName)}/${String(json.Password)})` : '';
        return send(401, errorBody(401, 'NoValidSession', `Invalid username or password${echo}.`));
      }
      const id = String(sessions.size + requests.length);
      const t = `token-${crypto.randomUUID()}`;
      sessions.set(id, t);
      return send(201, { '@odata.id': `${SESSIONS}/${id}`, Id: id, UserName: account, Password: null }, { 'X-Auth-Token': t, Location: `${SESSIONS}/${id}` });
    }
    const authorized = (token && [...sessions.values()].includes(String(token))) || basic === `${account}:${credential}`;
    if (!authorized) return send(401, errorBody(401, 'NoValidSession', 'There is no valid session established with the implementation.'));

    const sessionMatch = path.startsWith(`${SESSIONS}/`) ? path.slice(SESSIONS.length + 1) : null;
    if (auth === 'session' && sessionMatch !== null && method === 'DELETE') {
      if (!sessions.delete(sessionMatch)) return send(404, errorBody(404, 'ResourceMissingAtURI', 'No such session.'));
      return send(204);
    }
    if (path === SYSTEMS && method === 'GET') {
      return send(200, {
        '@odata.id': SYSTEMS,
        '@odata.type': '#ComputerSystemCollection.ComputerSystemCollection',
        Name: 'Computer System Collection',
        'Members@odata.count': systems.length,
        Members: systems.map((s) => ({ '@odata.id': `${SYSTEMS}/${s.id}` })),
      });
    }
    const system = systems.find((s) => path === `${SYSTEMS}/${s.id}` || path === `${SYSTEMS}/${s.id}/Actions/ComputerSystem.Reset`);
    if (!system) return send(404, errorBody(404, 'ResourceMissingAtURI', `The resource at ${path} was not found.`));
    if (path.endsWith('/Actions/ComputerSystem.Reset')) {
      if (method !== 'POST') return send(405, errorBody(405, 'OperationNotAllowed', 'Use POST.'));
      const type = String(json.ResetType);
      if (resetTypes && !resetTypes.includes(type)) {
        return send(400, errorBody(400, 'ActionParameterNotSupported', `The parameter ResetType with value ${type} is not supported.`));
      }
      system.resets.push(type);
      if (type === 'On' || type === 'ForceOn') change(system, 'On');
      else if (type === 'ForceOff' || type === 'GracefulShutdown') change(system, 'Off');
      else if (type === 'PushPowerButton') change(system, powerOf(system) === 'On' ? 'Off' : 'On');
      return send(204);
    }
    if (method === 'GET') return send(200, systemBody(system), { ETag: `W/"${etag}"` });
    if (method === 'PATCH') {
      if (req.headers['if-match'] && req.headers['if-match'] !== `W/"${etag}"`) {
        return send(412, errorBody(412, 'PreconditionFailed', 'The ETag does not match.'));
      }
      const boot = json.Boot as Record<string, unknown> | undefined;
      const enabled = boot?.BootSourceOverrideEnabled;
      const target = boot?.BootSourceOverrideTarget;
      if (enabled !== undefined && !['Disabled', 'Once', 'Continuous'].includes(String(enabled))) {
        return send(400, errorBody(400, 'PropertyValueNotInList', `The value ${String(enabled)} for BootSourceOverrideEnabled is not in the list.`));
      }
      if (target !== undefined && !BOOT_TARGETS.includes(String(target))) {
        return send(400, errorBody(400, 'PropertyValueNotInList', `The value ${String(target)} for BootSourceOverrideTarget is not in the list.`));
      }
      const apply = () => {
        if (enabled !== undefined) system.boot.BootSourceOverrideEnabled = String(enabled);
        if (target !== undefined) system.boot.BootSourceOverrideTarget = String(target);
      };
      if (options.bootApplyDelayMs) setTimeout(apply, options.bootApplyDelayMs).unref();
      else if (!options.dropBootOverride) apply();
      etag += 1;
      const status = options.patchStatus ?? 200;
      return status === 200 ? send(200, systemBody(system), { ETag: `W/"${etag}"` }) : send(status);
    }
    return send(405, errorBody(405, 'OperationNotAllowed', `${method} is not allowed on ${path}.`));
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch(() => {
      res.statusCode = 500;
      res.end();
    });
  };
  const server: Server = options.tls === null || options.tls === undefined ? createHttpServer(listener) : createHttpsServer(options.tls, listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    systems,
    sessions,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
