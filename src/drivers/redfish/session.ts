import type { Logger } from '../../core/log.ts';
import { OobError } from '../oob/oob-error.ts';
import { answerOf, linkOf, RedfishHttp, type Json } from './http.ts';

export interface RedfishLogin {
  base: string;
  account: string;
  credential: string;
  fetch: typeof fetch;
  timeoutMs: number;
  logger: Logger;
}

/** A logged-in conversation with one BMC; `close` logs out of a session. */
export interface RedfishSession {
  http: RedfishHttp;
  root: Json;
  /** `session` (X-Auth-Token) or `basic` (the BMC has no SessionService). */
  auth: 'session' | 'basic';
  close(): Promise<void>;
}

const ROOT = '/redfish/v1/';

function basic(account: string, credential: string): string {
  const bytes = new TextEncoder().encode(`${account}:${credential}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/**
 * Reads the service root (no authentication, DSP0266 §13.3) and logs in:
 * a session (POST of UserName and Password to the root's Links.Sessions, then
 * X-Auth-Token, as python-redfish-library's AuthMethod.SESSION that Drydock
 * uses), or HTTP Basic when the BMC has no SessionService.
 */
export async function openSession(login: RedfishLogin): Promise<RedfishSession> {
  const http = new RedfishHttp(login.base, login.fetch, login.timeoutMs);
  const { body: root } = await http.get(ROOT);
  const sessions = linkOf((root.Links as Json | undefined)?.Sessions);
  if (!sessions) {
    http.auth = { Authorization: basic(login.account, login.credential) };
    return { http, root, auth: 'basic', close: async () => {} };
  }
  const reply = await http.request('POST', sessions, { UserName: login.account, Password: login.credential });
  if (reply.status === 401 || reply.status === 403) {
    throw new OobError(`the BMC refused the login of account ${login.account} (${answerOf(reply)}): check oob.account and oob.credential`);
  }
  if (reply.status !== 201 && reply.status !== 200) {
    throw new OobError(`session login failed: the BMC answered ${answerOf(reply)}`);
  }
  const token = reply.headers.get('X-Auth-Token');
  if (!token) throw new OobError(`session login answered HTTP ${reply.status} without an X-Auth-Token header`);
  http.auth = { 'X-Auth-Token': token };
  // Only the path: BMCs often put their own host name in Location, which the
  // address the design gives (an IP) may not match.
  const where = reply.headers.get('Location') ?? (reply.body ? linkOf(reply.body) : null);
  const location = where ? new URL(where, login.base).pathname : null;
  return {
    http,
    root,
    auth: 'session',
    async close() {
      // Drydock logs out too (RedfishSession.close_session); a BMC has few session slots.
      if (!location) return;
      try {
        const out = await http.request('DELETE', location);
        if (out.status >= 400) login.logger.warn('redfish logout refused', { bmc: login.base, status: out.status });
      } catch (err) {
        login.logger.warn('redfish logout failed', { bmc: login.base, error: err instanceof Error ? err.message : String(err) });
      }
    },
  };
}
