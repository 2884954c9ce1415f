/**
 * The security checks every Keystone-guarded route shares (after Unkey's
 * runCommonRouteTests): 401 in Drydock's Status envelope without a token and
 * with a wrong one, 403 for a token that holds every rule but one the route
 * needs, and through for a token that holds only the route's rules.
 *
 * Each route gets its own app in token mode with a policy document written
 * for it: every physical_provisioner rule allows `admin` (the setup's token);
 * the route's rules also allow `granted`; and for each rule R of the route,
 * role `lacks<i>` is allowed every rule but R. So a pass proves the route asks
 * for exactly these rules, and a 403 that it asks for each of them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { POLICY_DEFAULTS } from '../../src/auth/policy/defaults.ts';
import type { Db } from '../../src/db/types.ts';
import { buildTestApp, digestOf, jsonOf } from './app.ts';

type App = Awaited<ReturnType<typeof buildTestApp>>['app'];

export interface RouteRequest {
  path: string;
  init?: RequestInit;
}

export interface RouteSetup {
  app: App;
  db: Db;
  /** An administrator's credentials. */
  headers: Record<string, string>;
}

export interface GuardedRoute<T = void> {
  method: 'GET' | 'POST' | 'DELETE';
  /** The route as documented, e.g. `/api/v1.0/designs/{id}`: the test names only. */
  route: string;
  /** Every policy rule the request needs. */
  rules: string[];
  /** Stores what a valid request needs (a design, a task); `headers` are an administrator's. */
  setup?: (env: RouteSetup) => Promise<T>;
  /** A valid request, without credentials (they are added); built anew for every call. */
  request: (state: T) => RouteRequest;
  /** What the valid request answers with the right token. */
  expectStatus: number;
}

const ADMIN = 'route-security-admin';
const GRANTED = 'route-security-granted';
const lacking = (i: number) => `route-security-lacks-${i}`;

async function securedApp(rules: string[]) {
  const names = POLICY_DEFAULTS.map((p) => p.name).filter((n) => n.startsWith('physical_provisioner:'));
  for (const rule of rules) if (!names.includes(rule)) throw new Error(`${rule} is not a registered policy rule`);
  const policy: Record<string, string> = {};
  for (const name of names) {
    const roles = ['admin'];
    if (rules.includes(name)) roles.push('granted');
    rules.forEach((rule, i) => rule !== name && roles.push(`lacks${i}`));
    policy[name] = roles.map((r) => `role:${r}`).join(' or ');
  }
  const tokens = [`ops:admin:${await digestOf(ADMIN)}`, `granted:granted:${await digestOf(GRANTED)}`];
  for (let i = 0; i < rules.length; i++) tokens.push(`lacks${i}:lacks${i}:${await digestOf(lacking(i))}`);
  return buildTestApp({ env: { AUTH_MODE: 'token', AUTH_TOKENS: tokens.join(','), POLICY_DOCUMENT: JSON.stringify(policy) } });
}

function withToken({ path, init = {} }: RouteRequest, method: string, token: string | null): [string, RequestInit] {
  const headers = new Headers(init.headers);
  if (token !== null) headers.set('X-Auth-Token', token);
  return [path, { ...init, method, headers }];
}

async function expectEnvelope(res: Response, status: 401 | 403): Promise<string> {
  expect(res.status).toBe(status);
  const text = await res.text();
  expect(JSON.parse(text)).toMatchObject({
    kind: 'Status',
    apiVersion: 'v1.0',
    status: 'Failure',
    reason: status === 401 ? 'Unauthorized' : 'Forbidden',
    code: status,
  });
  return text;
}

/** Every route given to runCommonRouteTests in this test file, as `METHOD /path/{param}`. */
export const coveredRoutes: string[] = [];

/** Registers the shared security tests of one guarded route (call inside a test file, outside `it`). */
export function runCommonRouteTests<T>(route: GuardedRoute<T>): void {
  coveredRoutes.push(`${route.method} ${route.route}`);
  describe(`${route.method} ${route.route} (security)`, () => {
    let app: App;
    let state: T;
    const call = (token: string | null) => app.request(...withToken(route.request(state), route.method, token));

    beforeAll(async () => {
      const built = await securedApp(route.rules);
      app = built.app;
      state = (await route.setup?.({ app, db: built.database.db, headers: { 'X-Auth-Token': ADMIN } })) as T;
    });

    it('answers 401 in the error envelope, with a challenge, without a token', async () => {
      const res = await call(null);
      expect(res.headers.get('WWW-Authenticate')).toBeTruthy();
      await expectEnvelope(res, 401);
    });

    it('answers 401 to a wrong token and does not echo it', async () => {
      const wrong = `${GRANTED}-but-wrong`;
      expect(await expectEnvelope(await call(wrong), 401)).not.toContain(wrong);
    });

    route.rules.forEach((rule, i) => {
      it(`answers 403 in the error envelope to a token holding every rule but ${rule}`, async () => {
        expect(await expectEnvelope(await call(lacking(i)), 403)).toContain(rule);
      });
    });

    it(`answers ${route.expectStatus} to a token holding only ${route.rules.join(' and ')}`, async () => {
      const res = await call(GRANTED);
      expect(res.status, JSON.stringify(await jsonOf(res.clone()).catch(() => null))).toBe(route.expectStatus);
    });
  });
}
