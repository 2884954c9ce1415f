import type { Context } from 'hono';
import { createMiddleware } from 'hono/factory';
import { ApiError } from '../core/errors.ts';
import { digestsEqual, sha256Hex } from '../core/digest.ts';
import type { AppEnv } from '../http/env.ts';
import { clearUiSession, newCsrfToken, readUiSession, writeUiSession, type UiSession } from '../http/ui-session.ts';
import { readForm, type FormFields } from './form.ts';
import { loginPath } from './paths.ts';

/** A session made during this request (its cookie is only in the response), by request. */
const madeNow = new WeakMap<Request, UiSession>();

const here = (c: Context<AppEnv>) => {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
};

/**
 * Pages behind sign-in: the cookie's token is authenticated exactly as an
 * X-Auth-Token would be, and the principal set for authorize(). No session:
 * 303 to the sign-in page (back here afterwards); a token no longer valid
 * (expired, revoked): the cookie is dropped and the same. With AUTH_MODE=none
 * everyone is an administrator and no sign-in is asked for.
 */
export function requireSession() {
  return createMiddleware<AppEnv>(async function requireSession(c, next) {
    const { authenticator } = c.get('services');
    let session = readUiSession(c);
    if (authenticator.mode === 'none' && !session) {
      session = { token: null, csrf: newCsrfToken() };
      writeUiSession(c, session);
      madeNow.set(c.req.raw, session);
    }
    const next_ = c.req.method === 'GET' ? here(c) : undefined;
    if (!session || (!session.token && authenticator.mode !== 'none')) return c.redirect(loginPath(next_), 303);
    const principal = await authenticator.authenticate(session.token);
    if (!principal) {
      clearUiSession(c);
      return c.redirect(loginPath(next_), 303);
    }
    c.set('principal', principal);
    await next();
  });
}

/** The CSRF token to put in this page's forms (an empty string only when there is no session). */
export const csrfOf = (c: Context<AppEnv>): string => (madeNow.get(c.req.raw) ?? readUiSession(c))?.csrf ?? '';

/** A session with a CSRF token for the sign-in form, made on first visit. */
export function ensurePreSession(c: Context<AppEnv>): UiSession {
  const existing = readUiSession(c);
  if (existing) return existing;
  const session = { token: null, csrf: newCsrfToken() };
  writeUiSession(c, session);
  return session;
}

export const CSRF_FIELD = '_csrf';

async function sameToken(a: string, b: string): Promise<boolean> {
  return digestsEqual(await sha256Hex(a), await sha256Hex(b));
}

/**
 * Every form of the web view is read through here: the form must carry the
 * session's CSRF token (403 otherwise). Together with Hono's Origin check
 * on the /ui routes, a page on another site can neither post a form here
 * (no token) nor read one to copy it.
 */
export async function csrfForm(c: Context<AppEnv>, maxBytes: number): Promise<FormFields> {
  const session = readUiSession(c);
  const form = await readForm(c, maxBytes);
  const sent = form.get(CSRF_FIELD);
  if (!session || !sent || !(await sameToken(sent, session.csrf))) {
    throw new ApiError('Forbidden', 'The form has expired or did not come from this site; reload the page and try again');
  }
  return form;
}
