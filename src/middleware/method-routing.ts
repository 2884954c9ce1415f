import type { Context, Hono } from 'hono';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { errorResponse } from './error-handler.ts';

interface CompiledRoute {
  pattern: RegExp;
  method: string;
}

function compile(path: string): RegExp {
  let out = '';
  for (const part of path.split(/(:[A-Za-z0-9_]+(?:\{[^}]+\})?\??|\*)/)) {
    if (part === '*') out += '.*';
    else if (part.startsWith(':')) {
      const custom = /\{([^}]+)\}/.exec(part);
      out += custom ? `(?:${custom[1]})` : '[^/]+';
    } else out += part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/**
 * Hono answers 404 for a known path with an unknown method; Drydock's Falcon
 * answers 405 with Allow, and OPTIONS with the Allow list. This notFound
 * handler rebuilds that from the app's own route table (compiled once).
 */
export function methodAwareNotFound(app: Hono<AppEnv>) {
  let routes: CompiledRoute[] | null = null;
  const allowFor = (path: string): string[] => {
    routes ??= app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ pattern: compile(r.path), method: r.method.toUpperCase() }));
    const methods = new Set<string>();
    for (const r of routes) if (r.pattern.test(path)) methods.add(r.method);
    if (methods.size === 0) return [];
    if (methods.has('GET')) methods.add('HEAD');
    methods.add('OPTIONS');
    return [...methods].sort();
  };

  return function notFound(c: Context<AppEnv>): Response {
    const allow = allowFor(c.req.path);
    if (allow.length === 0) {
      return errorResponse(c, new ApiError('NotFound', `No resource at ${c.req.path}`));
    }
    if (c.req.method === 'OPTIONS') {
      return c.body(null, 200, { Allow: allow.join(', ') });
    }
    return errorResponse(
      c,
      new ApiError('MethodNotAllowed', `Method ${c.req.method} is not allowed on ${c.req.path}`, {
        headers: { Allow: allow.join(', ') },
      }),
    );
  };
}
