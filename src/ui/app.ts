import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { publicBase } from '../core/public-url.ts';
import type { AppEnv } from '../http/env.ts';
import { uiError } from './errors.tsx';
import { UI } from './paths.ts';
import { designPages } from './routes/designs.tsx';
import { keystoneLoginRoute } from './routes/login-keystone.ts';
import { loginRoutes } from './routes/login.ts';
import { nodePages } from './routes/nodes.tsx';
import { taskPages } from './routes/tasks.tsx';
import { uiSecurityHeaders } from './security-headers.ts';
import { requireSession } from './session.ts';
import { staticRoutes } from './static/routes.ts';

/**
 * The web view (/ui): pages rendered on the server with hono/jsx over the
 * same service verbs and policy rules as the API routes. Sign-in, sign-out
 * and the static files answer without a session; every other page needs one.
 * Forms are checked twice: Hono's csrf() refuses a form posted from another
 * origin (Origin / Sec-Fetch-Site), and each form carries the session's CSRF
 * token (session.ts csrfForm), which also holds where Origin is not sent.
 */
export function uiRoutes(): Hono<AppEnv> {
  const ui = new Hono<AppEnv>();
  // Before any route(): Hono keeps a sub-app's error handler only if it is set when the sub-app is mounted.
  ui.onError(uiError);
  ui.use(`${UI}/*`, uiSecurityHeaders());
  ui.use(
    `${UI}/*`,
    csrf({ origin: (origin, c) => origin === new URL(publicBase(c.get('services').config, c.req.url) ?? c.req.url).origin }),
  );
  ui.route('/', staticRoutes);
  ui.route('/', loginRoutes);
  ui.route('/', keystoneLoginRoute);

  const pages = new Hono<AppEnv>();
  pages.onError(uiError);
  pages.use('*', requireSession());
  pages.get('/', (c) => c.redirect(`${UI}/tasks`, 303));
  pages.route('/', taskPages);
  pages.route('/', designPages);
  pages.route('/', nodePages);
  ui.route(UI, pages);
  return ui;
}
