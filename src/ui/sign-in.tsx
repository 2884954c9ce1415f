/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { newCsrfToken, writeUiSession } from '../http/ui-session.ts';
import { LoginPage } from './pages/login.tsx';
import { page } from './render.ts';
import { ensurePreSession } from './session.ts';

export function loginPage(c: Context<AppEnv>, next: string, error: string | null = null) {
  const session = ensurePreSession(c);
  const keystone = c.get('services').authenticator.mode === 'keystone';
  return page(c, <LoginPage csrf={session.csrf} next={next} keystone={keystone} error={error} />, error ? 401 : 200);
}

/**
 * Signs in with the token: it is checked as the API checks X-Auth-Token,
 * and only a valid one is kept, in the session cookie with a new CSRF token
 * (the sign-in form's one is not reused).
 */
export async function signIn(c: Context<AppEnv>, token: string, next: string): Promise<Response> {
  const principal = token ? await c.get('services').authenticator.authenticate(token) : null;
  if (!principal) {
    c.get('log').info('web view sign-in refused');
    return loginPage(c, next, 'That token was not accepted.');
  }
  writeUiSession(c, { token, csrf: newCsrfToken() });
  c.get('log').info('web view sign-in', { user: principal.user });
  return c.redirect(next, 303);
}
