/**
 * GET /openapi.json, the API document of every route the app mounted, and
 * GET /docs, a Swagger UI page of it served from this server (no CDN). Both
 * answer without a token, as /versions does: they describe the public
 * Drydock API, not a site (README, OpenAPI).
 */
import { Hono, type Context } from 'hono';
import { ApiError } from '../core/errors.ts';
import type { LoadReferenceAssets, ReferenceAssets } from '../core/reference-assets.ts';
import type { AppEnv } from '../http/env.ts';
import { buildOpenApiDocument } from '../http/openapi/document.ts';
import type { MountedOperation } from '../http/openapi/operation.ts';
import * as R from '../http/schemas/responses.ts';
import { policyRuleOf } from '../middleware/policy.ts';
import { apiOperations } from './api-operations.ts';
import { REFERENCE_PAGE, REFERENCE_SCRIPT } from './api-docs-page.ts';

/** Where the web view lives: pages for browsers, not API operations. */
export const UI_PREFIX = '/ui';

interface RouteEntry {
  method: string;
  path: string;
  handler: unknown;
}

/** The app's routes once each (middleware on a wildcard is no route), with their requirePolicy rule. */
export function apiOperationsOf(routes: readonly RouteEntry[]): MountedOperation[] {
  const found = new Map<string, MountedOperation>();
  for (const r of routes) {
    if ((r.method === 'ALL' && r.path.endsWith('*')) || r.path === UI_PREFIX || r.path.startsWith(`${UI_PREFIX}/`)) continue;
    const key = `${r.method} ${r.path}`;
    const seen = found.get(key) ?? { method: r.method, path: r.path };
    seen.policy ??= policyRuleOf(r.handler);
    found.set(key, seen);
  }
  return [...found.values()];
}

// Scripts and styles from this server only; the page's one script is a file, not inline.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const PAGE_HEADERS = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-cache' };
/** Swagger UI's files change only with the package: a day in any cache, revalidated by ETag after. */
const ASSET_CACHE = 'public, max-age=86400';

async function etagOf(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return `"${[...new Uint8Array(digest).slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')}"`;
}

/**
 * The API document and its reference page, for `app` (its routes are read on
 * the first request, when all are mounted); `load`: Swagger UI's files where
 * the runtime has them.
 */
export function apiDocsRoutes(app: { routes: readonly RouteEntry[] }, load: LoadReferenceAssets | null): Hono<AppEnv> {
  const routes = new Hono<AppEnv>();
  let document: string | null = null;
  let assets: Promise<{ files: ReferenceAssets; etags: Record<keyof ReferenceAssets, string> }> | null = null;

  routes.get('/openapi.json', (c) => {
    document ??= JSON.stringify(
      buildOpenApiDocument({
        title: 'Drydock API (drydock-edge)',
        version: 'v1.0',
        routes: apiOperationsOf(app.routes),
        operations: apiOperations(c.get('ctx').config.AGENT_LEASE_WAIT_MAX_SECONDS),
        components: { Status: R.Status, Task: R.Task, DesignSummary: R.DesignSummary, Machine: R.Machine, BuildData: R.BuildData, Agent: R.Agent },
        errorSchema: R.Status,
      }),
    );
    return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-cache' });
  });

  routes.get('/docs', (c) => c.html(REFERENCE_PAGE, 200, PAGE_HEADERS));
  routes.get('/docs/init.js', (c) => c.body(REFERENCE_SCRIPT, 200, { ...PAGE_HEADERS, 'Content-Type': 'text/javascript; charset=utf-8' }));

  async function asset(c: Context<AppEnv>, name: keyof ReferenceAssets, type: string): Promise<Response> {
    if (!load) throw new ApiError('NotFound', 'This build serves no API reference page; the document is at openapi.json');
    assets ??= load()
      .then(async (files) => ({ files, etags: { script: await etagOf(files.script), stylesheet: await etagOf(files.stylesheet) } }))
      .catch((err: unknown) => {
        assets = null; // a read that failed (a file missing) is tried again by the next request
        throw err;
      });
    const { files, etags } = await assets;
    const headers = { 'Cache-Control': ASSET_CACHE, ETag: etags[name], 'X-Content-Type-Options': 'nosniff' };
    if (c.req.header('If-None-Match') === etags[name]) return c.body(null, 304, headers);
    return c.body(files[name], 200, { ...headers, 'Content-Type': `${type}; charset=utf-8` });
  }
  routes.get('/docs/swagger-ui-bundle.js', (c) => asset(c, 'script', 'text/javascript'));
  routes.get('/docs/swagger-ui.css', (c) => asset(c, 'stylesheet', 'text/css'));
  return routes;
}
