/**
 * The folders of src/ and what each may import, top to bottom. The README's
 * Layout section describes the same table; import-direction.test.ts holds the
 * source to it. A folder may import itself and the folders listed; anything
 * else (an arrow pointing up or sideways) fails the test.
 */
export const LAYERS: Record<string, readonly string[]> = {
  // Runtime entries (src/node.ts, src/deno.ts, src/worker.ts, src/agent.ts, src/agent-deno.ts) and the Node/Deno glue in runtime/.
  entries: ['app', 'agent', 'ui', 'routes', 'middleware', 'http', 'services', 'orchestrator', 'drivers', 'bootaction', 'design', 'template', 'auth', 'db', 'core'],
  // src/app.ts (the Hono app) and src/compose.ts (the composition root).
  app: ['ui', 'routes', 'middleware', 'http', 'services', 'orchestrator', 'drivers', 'bootaction', 'design', 'template', 'auth', 'db', 'core'],
  // Validate (http/ schemas), authorize, call one service: never the layers behind the services.
  routes: ['middleware', 'http', 'services', 'core'],
  // The web view (/ui): server-rendered pages over the same services and policy checks as routes/.
  ui: ['middleware', 'http', 'services', 'core'],
  // Only what app.use(), route guards, onError and notFound take.
  middleware: ['http', 'services', 'core'],
  // Request reading (bodies, client address), validation, authorize(c, rule), Hono typing.
  http: ['services', 'auth', 'core'],
  // The drydock-edge CLI (src/cli.ts and src/cli/): the public API over HTTP only, so no server layer but core.
  cli: ['core'],
  // The site agent (docs/site-agent.md): runs driver calls leased from the edge; no orchestrator, no database.
  agent: ['drivers', 'design', 'core'],
  services: ['orchestrator', 'drivers', 'bootaction', 'design', 'auth', 'db', 'core'],
  orchestrator: ['drivers', 'bootaction', 'design', 'db', 'core'],
  drivers: ['bootaction', 'design', 'db', 'core'],
  bootaction: ['design', 'template', 'db', 'core'],
  design: ['template', 'db', 'core'],
  template: ['core'],
  auth: ['core'],
  db: ['core'],
  core: [],
};

const ROOT_FILES: Record<string, string> = {
  'node.ts': 'entries',
  'deno.ts': 'entries',
  'worker.ts': 'entries',
  'agent.ts': 'entries',
  'agent-deno.ts': 'entries',
  'cli.ts': 'cli',
  'app.ts': 'app',
  'compose.ts': 'app',
};

/** The layer of a path relative to src/ (e.g. `design/parse/documents.ts`), or null when it has none. */
export function layerOf(srcRelative: string): string | null {
  const [head = '', ...rest] = srcRelative.split('/');
  if (rest.length === 0) return ROOT_FILES[head] ?? null;
  if (head === 'runtime') return 'entries';
  return head in LAYERS ? head : null;
}
