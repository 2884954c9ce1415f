/**
 * The node-facing boot action API. No Keystone: a deploying node proves
 * itself with the key it was given (X-Bootaction-Key), so these routes are
 * mounted without requirePolicy.
 *
 * Paths: the seed's `bootdata/{host}/files|units` and `bootaction/{id}`, and
 * Drydock's actual `bootactions/nodes/{host}/files|units` and
 * `bootactions/{id}`; signal paths also with a trailing slash, which
 * Drydock's Go client sends, and after a doubled slash (below).
 */
import { Hono, type Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { clientAddress } from '../http/client-address.ts';
import { bootActionReportUrl } from '../core/public-url.ts';
import { readJsonBody } from '../http/json-body.ts';
import {
  authenticateAction,
  authenticateNode,
  KEY_HEADER,
  nodeAssetTarball,
  parseSignalBody,
  signalBootAction,
  type KeyRequest,
} from '../services/bootactions/index.ts';

export const bootActionRoutes = new Hono<AppEnv>();

/** The key a node presents, and where it presents it from (for its rate limit bucket). */
function keyRequest(c: Context<AppEnv>): KeyRequest {
  return { key: c.req.header(KEY_HEADER), client: clientAddress(c, c.get('ctx').config.BOOTACTION_CLIENT_ADDRESS_HEADER) };
}

/** If-None-Match against a strong ETag, with the weak comparison RFC 9110 asks of it. */
function notModified(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}

const safeFileName = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

async function assets(c: Context<AppEnv>): Promise<Response> {
  const hostname = c.req.param('hostname') ?? '';
  const assetType = c.req.param('type') === 'units' ? 'unit' : 'file';
  const ctx = c.get('ctx');
  const node = await authenticateNode(ctx, hostname, keyRequest(c));
  const { bytes, etag } = await nodeAssetTarball(ctx, node, assetType, bootActionReportUrl(ctx.config, c.req.url));
  // The content carries action keys: a browser may keep it, a shared cache must not.
  const headers = { ETag: etag, 'Cache-Control': 'private, no-cache' };
  if (notModified(c.req.header('If-None-Match'), etag)) return c.body(null, 304, headers);
  return c.body(bytes, 200, {
    ...headers,
    'Content-Type': 'application/gzip',
    // Drydock's name: "<host>-unit.tar.gz" / "<host>-file.tar.gz".
    'Content-Disposition': `attachment; filename="${safeFileName(node.nodeName)}-${assetType}.tar.gz"`,
  });
}

async function signal(c: Context<AppEnv>): Promise<Response> {
  const ctx = c.get('ctx');
  const action = await authenticateAction(ctx, c.req.param('id') ?? '', keyRequest(c));
  const body = parseSignalBody(await readJsonBody(c), ctx.config);
  const view = await signalBootAction(ctx, action, body);
  ctx.log.info('boot action signal', {
    action_id: view.action_id,
    node: view.node_name,
    status: view.action_status,
    details: body.details.length,
    key: action.via,
  });
  return c.json(view);
}

for (const path of ['/bootdata/:hostname/:type{files|units}', '/bootactions/nodes/:hostname/:type{files|units}']) {
  bootActionRoutes.get(path, assets);
}
// baclient posts to "<-url>/<id>/" (baclient.go renderURL) and the rendered
// `{{ action.report_url }}` ends with "/", as Drydock's default does, so
// `baclient -url {{ action.report_url }}` arrives with the slash doubled.
for (const prefix of ['/bootaction/', '/bootactions/', '/bootaction//', '/bootactions//']) {
  bootActionRoutes.post(`${prefix}:id`, signal);
  bootActionRoutes.post(`${prefix}:id/`, signal);
}
