import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { publicBase } from '../core/public-url.ts';
import type { AppEnv } from './env.ts';

/**
 * The web view's session, kept in one cookie: the token the user signed in
 * with (X-Auth-Token as the API takes it) and the session's CSRF token.
 * HttpOnly (no script reads it), SameSite=Strict (no other site's page sends
 * it) and, over https, Secure with the __Host- prefix (no sibling subdomain
 * can set or shadow it). Before sign-in it holds only the CSRF token of the
 * sign-in form.
 */
export interface UiSession {
  token: string | null;
  csrf: string;
}

/** Over https the cookie is named __Host-drydock_session (hono/cookie's prefix: 'host'). */
const NAME = 'drydock_session';
/** A signed-in session lasts at most this long; Keystone tokens usually expire sooner. */
const MAX_AGE_SECONDS = 12 * 3600;

/** Whether the browser reaches this service over https (PUBLIC_URL when set, as behind a TLS proxy). */
export function isHttps(c: Context<AppEnv>): boolean {
  return (publicBase(c.get('services').config, c.req.url) ?? '').startsWith('https:');
}

const prefix = (c: Context<AppEnv>) => (isHttps(c) ? ('host' as const) : undefined);

function encode(session: UiSession): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ t: session.token, c: session.csrf }));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

function decode(value: string): UiSession | null {
  try {
    const text = atob(value.replaceAll('-', '+').replaceAll('_', '/'));
    const json = JSON.parse(new TextDecoder().decode(Uint8Array.from(text, (ch) => ch.charCodeAt(0)))) as { t?: unknown; c?: unknown };
    if (typeof json.c !== 'string' || json.c.length < 20) return null;
    return { token: typeof json.t === 'string' && json.t ? json.t : null, csrf: json.c };
  } catch {
    return null;
  }
}

export function readUiSession(c: Context<AppEnv>): UiSession | null {
  const value = getCookie(c, NAME, prefix(c));
  return value ? decode(value) : null;
}

export function newCsrfToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll('+', '-').replaceAll('/', '_');
}

export function writeUiSession(c: Context<AppEnv>, session: UiSession): void {
  setCookie(c, NAME, encode(session), { path: '/', httpOnly: true, secure: isHttps(c), sameSite: 'Strict', maxAge: MAX_AGE_SECONDS, prefix: prefix(c) });
}

export function clearUiSession(c: Context<AppEnv>): void {
  deleteCookie(c, NAME, { path: '/', secure: isHttps(c), httpOnly: true, sameSite: 'Strict', prefix: prefix(c) });
}
