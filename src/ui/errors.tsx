/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { ErrorPage } from './pages/error.tsx';
import { loginPath } from './paths.ts';
import { page, type PageStatus } from './render.ts';
import { csrfOf } from './session.ts';

const TITLES: Record<number, string> = { 400: 'Bad request', 403: 'Forbidden', 404: 'Not found', 409: 'Conflict', 413: 'Too large' };

/**
 * The web view's onError: what the API answers as an error envelope, shown
 * as a page with the same status and message. 401 (the session's token no
 * longer valid) goes back to sign-in; 403 stays a page saying what was
 * refused. Unexpected failures are logged and shown by request id only.
 */
export async function uiError(err: unknown, c: Context<AppEnv>): Promise<Response> {
  const principal = c.get('principal');
  const who = principal ? { user: principal.user, csrf: csrfOf(c) } : {};
  if (err instanceof ApiError && err.status === 401) return c.redirect(loginPath(), 303);
  if (err instanceof ApiError || err instanceof HTTPException) {
    const status = err.status as PageStatus;
    const message =
      err instanceof HTTPException
        ? status === 403 ? 'The request did not come from this site' : err.message
        : [err.message, ...err.details.map((d) => d.message)].join(': ');
    return page(c, <ErrorPage title={TITLES[status] ?? `Error ${status}`} message={message} {...who} />, status);
  }
  const requestId = c.get('requestId') ?? 'unknown';
  c.get('log')?.error('unhandled error', { error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined });
  return page(c, <ErrorPage title="Internal error" message="Something went wrong on the server." requestId={requestId} {...who} />, 500);
}
