import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';

/** Drydock's version discovery; no authentication, as Drydock. */
export const versionsRoutes = new Hono<AppEnv>();

const VERSIONS = { 'v1.0': { path: '/api/v1.0', status: 'stable' } };

versionsRoutes.get('/versions', (c) => c.json(VERSIONS));
versionsRoutes.get('/api/versions', (c) => c.json(VERSIONS));
