import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { AppEnv } from '../http/env.ts';

export type PageStatus = 200 | 400 | 401 | 403 | 404 | 408 | 409 | 413 | 415 | 429 | 500 | 502 | 503;

/** A full page: the doctype, then the component tree rendered (hono/jsx escapes every text and attribute). */
export async function page(c: Context<AppEnv>, node: Child, status: PageStatus = 200): Promise<Response> {
  const html = await (node as { toString(): string | Promise<string> }).toString();
  return c.html(`<!DOCTYPE html>${html}`, status);
}
