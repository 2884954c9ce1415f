/**
 * Every route that answers without a Keystone token, and why. This list is
 * the one place that says so (README, Authentication and policy);
 * route-walk.test.ts fails on any other route of the app that answers an
 * unauthenticated request with anything but 401, and on an entry here that
 * names no mounted route.
 *
 * `open` routes answer anyone. `node-key` routes are the node-facing boot
 * action routes: no Keystone token, but the node's or action's
 * X-Bootaction-Key, so without one they too answer 401 (the walk checks it).
 * `agent-token` routes are the site agents' (docs/site-agent.md): no
 * Keystone token, but an agent's Bearer token; without one, 401.
 * Paths are Hono patterns, as `app.routes` lists them.
 *
 * The web view (/ui) is a browser's: its pages answer a request without a
 * session cookie with 303 to the sign-in page rather than 401, and the walk
 * checks exactly that for every /ui route not listed here. `ui-form` routes
 * (sign-in, sign-out) take no session but the form's CSRF token: without
 * one, 403.
 */
export interface PublicRoute {
  method: 'GET' | 'POST';
  path: string;
  access: 'open' | 'node-key' | 'agent-token' | 'ui-form';
  why: string;
}

const VERSIONS = "Drydock's version discovery, unauthenticated in Drydock too";
const ASSETS = 'a node fetches its boot action files or units with its node key';
const SIGNAL = "a node reports on a boot action with the action's (or its node) key; baclient's doubled '/' and trailing '/' included";

const REFERENCE = 'the API document and its reference page describe the public Drydock API, not a site (README, OpenAPI)';

const AGENT = "a site agent calls with its own Bearer agent token, which only the agent routes accept";

export const PUBLIC_ROUTES: readonly PublicRoute[] = [
  { method: 'GET', path: '/versions', access: 'open', why: VERSIONS },
  { method: 'GET', path: '/api/versions', access: 'open', why: VERSIONS },
  { method: 'GET', path: '/api/v1.0/health', access: 'open', why: 'load balancer check: no body, 204 or 503' },
  ...['/openapi.json', '/docs', '/docs/init.js', '/docs/swagger-ui-bundle.js', '/docs/swagger-ui.css'].map((path) => ({
    method: 'GET' as const,
    path: `/api/v1.0${path}`,
    access: 'open' as const,
    why: REFERENCE,
  })),
  { method: 'GET', path: '/api/v1.0/bootdata/:hostname/:type{files|units}', access: 'node-key', why: ASSETS },
  { method: 'GET', path: '/api/v1.0/bootactions/nodes/:hostname/:type{files|units}', access: 'node-key', why: ASSETS },
  ...['/bootaction/', '/bootactions/', '/bootaction//', '/bootactions//'].flatMap((prefix) =>
    [':id', ':id/'].map((id) => ({ method: 'POST' as const, path: `/api/v1.0${prefix}${id}`, access: 'node-key' as const, why: SIGNAL })),
  ),
  ...['/heartbeat', '/inventory', '/lease', '/calls/:id/renew', '/calls/:id/result'].map((path) => ({
    method: 'POST' as const,
    path: `/api/v1.0/agents${path}`,
    access: 'agent-token' as const,
    why: AGENT,
  })),
  { method: 'GET', path: '/api/v1.0/agents/designs/:hash', access: 'agent-token', why: AGENT },
  { method: 'GET', path: '/ui/static/app.css', access: 'open', why: "the web view's style sheet (the CSP allows no inline style)" },
  { method: 'GET', path: '/ui/static/app.js', access: 'open', why: "the web view's live updates script (the CSP allows no inline script)" },
  { method: 'GET', path: '/ui/login', access: 'open', why: 'the sign-in page (it sets a cookie holding only the CSRF token of its forms)' },
  { method: 'POST', path: '/ui/login', access: 'ui-form', why: 'signing in with a token' },
  { method: 'POST', path: '/ui/login/keystone', access: 'ui-form', why: 'signing in with Keystone credentials' },
  { method: 'POST', path: '/ui/logout', access: 'ui-form', why: 'signing out' },
];
