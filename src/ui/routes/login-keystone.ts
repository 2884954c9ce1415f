import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { keystoneUserToken } from '../../services/sign-in.ts';
import { SMALL_FORM_BYTES } from '../form.ts';
import { LOGIN, safeNext } from '../paths.ts';
import { csrfForm } from '../session.ts';
import { loginPage, signIn } from '../sign-in.tsx';

export const keystoneLoginRoute = new Hono<AppEnv>();

/** Keystone mode: user name, password and project become the user's token, then sign-in as with a token. */
keystoneLoginRoute.post(`${LOGIN}/keystone`, async (c) => {
  const form = await csrfForm(c, SMALL_FORM_BYTES);
  const next = safeNext(form.get('next'));
  const creds = { username: form.get('username'), password: form.get('password'), project: form.get('project'), domain: form.get('domain') };
  const token = await keystoneUserToken(c.get('ctx'), creds);
  if (!token) {
    c.get('log').info('web view keystone sign-in refused', { username: creds.username.slice(0, 64) });
    return loginPage(c, next, 'Keystone did not accept those credentials.');
  }
  return signIn(c, token, next);
});
