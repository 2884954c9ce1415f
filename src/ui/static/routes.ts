import { Hono } from 'hono';
import type { AppEnv } from '../../http/env.ts';
import { STATIC } from '../paths.ts';
import { APP_CSS } from './app-css.ts';
import { APP_JS } from './app-js.ts';

/** The web view's two static files, from the bundle itself (a Worker has no file system). */
export const staticRoutes = new Hono<AppEnv>();

const CACHE = 'public, max-age=300';
staticRoutes.get(`${STATIC}/app.css`, (c) => c.body(APP_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': CACHE }));
staticRoutes.get(`${STATIC}/app.js`, (c) => c.body(APP_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': CACHE }));
