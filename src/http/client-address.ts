import type { Context } from 'hono';

interface NodeEnv {
  incoming?: { socket?: { remoteAddress?: string } };
}
interface DenoEnv {
  remoteAddr?: { hostname?: string };
}

/**
 * The client's address for per-client buckets: the socket's on Node
 * (@hono/node-server passes it in c.env), Deno.serve's remoteAddr on Deno,
 * CF-Connecting-IP on Workers (set by Cloudflare, which overwrites any value
 * a client sends). Behind a reverse proxy, `trustedHeader` (configured, e.g.
 * X-Forwarded-For) names the header that proxy sets; its last entry is the
 * address the proxy saw. Undefined when none of these is there: callers must
 * not pool such clients into one bucket, or one of them could lock out all.
 */
export function clientAddress(c: Context, trustedHeader?: string): string | undefined {
  if (trustedHeader) {
    const value = c.req.header(trustedHeader);
    const last = value?.split(',').pop()?.trim();
    if (last) return last;
  }
  const env = (c.env ?? {}) as NodeEnv & DenoEnv;
  const socket = env.incoming?.socket?.remoteAddress;
  if (socket) return socket;
  const deno = env.remoteAddr?.hostname;
  if (deno) return deno;
  return c.req.header('CF-Connecting-IP')?.trim() || undefined;
}
