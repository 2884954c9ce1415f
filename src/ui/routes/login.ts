import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { clearUiSession } from '../../http/ui-session.ts';
import { SMALL_FORM_BYTES } from '../form.ts';
import { LOGIN, safeNext, UI } from '../paths.ts';
import { csrfForm } from '../session.ts';
import { loginPage, signIn } from '../sign-in.tsx';

/** Sign-in with a token, and sign-out. */
export const loginRoutes = new Hono<AppEnv>();

loginRoutes.get(LOGIN, (c) => loginPage(c, safeNext(c.req.query('next'))));

loginRoutes.post(LOGIN, async (c) => {
  const form = await csrfForm(c, SMALL_FORM_BYTES);
  return signIn(c, form.get('token'), safeNext(form.get('next')));
});

/** Drops the cookie. A Keystone token stays valid until it expires: revoking it is Keystone's business. */
loginRoutes.post(`${UI}/logout`, async (c) => {
  await csrfForm(c, SMALL_FORM_BYTES);
  clearUiSession(c);
  return c.redirect(LOGIN, 303);
});
