/**
 * Walks every route an app has mounted (Hono's `app.routes`, so no list of
 * routes to keep up to date) and asks each, without any credential, what it
 * answers. A route must answer 401 in the error envelope unless an allow-list
 * entry marks it `open`.
 */
import type { Hono } from 'hono';
import type { AppEnv } from '../../src/http/env.ts';
import type { PublicRoute } from '../app/public-routes.ts';

export interface MountedRoute {
  method: string;
  path: string;
}

export interface UnguardedRoute extends MountedRoute {
  status: number;
}

const SAMPLE_ID = '00000000-0000-4000-8000-000000000000';

/** The app's routes, once each; middleware (ALL on a wildcard pattern) is no route of its own. */
export function mountedRoutes(app: Hono<AppEnv>): MountedRoute[] {
  const seen = new Map<string, MountedRoute>();
  for (const r of app.routes) {
    if (r.method === 'ALL' && r.path.endsWith('*')) continue;
    seen.set(`${r.method} ${r.path}`, { method: r.method, path: r.path });
  }
  return [...seen.values()];
}

/** A path the pattern matches: a UUID for a plain parameter, the first alternative of a `{a|b}` one. */
export function samplePath(pattern: string): string {
  return pattern.replace(/:[A-Za-z0-9_]+(?:\{([^}]+)\})?\??|\*/g, (whole, custom: string | undefined) => {
    if (whole === '*') return 'x';
    if (!custom) return SAMPLE_ID;
    const first = custom.split('|')[0]!;
    if (!new RegExp(`^(?:${custom})$`).test(first)) throw new Error(`no sample value for ${whole} in ${pattern}: extend samplePath`);
    return first;
  });
}

const isListed = (route: MountedRoute, entry: PublicRoute) => entry.method === route.method && entry.path === route.path;

/** A web view route (see public-routes.ts): sign-in redirect without a session, 403 for a form without its CSRF token. */
async function uiGuarded(app: Hono<AppEnv>, route: MountedRoute, allowList: readonly PublicRoute[]): Promise<number | null> {
  const method = route.method === 'ALL' ? 'GET' : route.method;
  if (allowList.some((entry) => entry.access === 'ui-form' && isListed(route, entry))) {
    const form = { method, body: new URLSearchParams({ token: 'x' }), headers: { Origin: 'http://localhost' } };
    const res = await app.request(`http://localhost${samplePath(route.path)}`, form);
    return res.status === 403 ? null : res.status;
  }
  // From the app's own origin, so that Hono's Origin check lets it reach the session guard.
  const res = await app.request(`http://localhost${samplePath(route.path)}`, { method, headers: { Origin: 'http://localhost' } });
  return res.status === 303 && (res.headers.get('Location') ?? '').startsWith('/ui/login') ? null : res.status;
}

/**
 * The routes that answer a request without credentials with anything but the
 * envelope's 401 (web view routes: anything but their sign-in redirect or
 * CSRF refusal), open ones aside.
 */
export async function unguardedRoutes(app: Hono<AppEnv>, allowList: readonly PublicRoute[]): Promise<UnguardedRoute[]> {
  const found: UnguardedRoute[] = [];
  for (const route of mountedRoutes(app)) {
    if (allowList.some((entry) => entry.access === 'open' && isListed(route, entry))) continue;
    if (route.path === '/ui' || route.path.startsWith('/ui/')) {
      const status = await uiGuarded(app, route, allowList);
      if (status !== null) found.push({ ...route, status });
      continue;
    }
    const method = route.method === 'ALL' ? 'GET' : route.method;
    const res = await app.request(samplePath(route.path), { method });
    const body = (await res.json().catch(() => null)) as { kind?: string; reason?: string } | null;
    if (res.status !== 401 || body?.kind !== 'Status' || body.reason !== 'Unauthorized') {
      found.push({ ...route, status: res.status });
    }
  }
  return found;
}

/** Allow-list entries that name no mounted route (a route renamed or removed). */
export function staleEntries(app: Hono<AppEnv>, allowList: readonly PublicRoute[]): PublicRoute[] {
  const routes = mountedRoutes(app);
  return allowList.filter((entry) => !routes.some((route) => isListed(route, entry)));
}
