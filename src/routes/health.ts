import { Hono } from 'hono';
import type { AppEnv } from '../http/env.ts';
import { statusDocument } from '../core/errors.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { checkDatabaseHealth, checkExtendedHealth } from '../services/health.ts';

export const healthRoutes = new Hono<AppEnv>();

/** Load balancer check: no auth, no body; 204 while the database answers and takes writes, 503 otherwise. */
healthRoutes.get('/health', async (c) => {
  const report = await checkDatabaseHealth(c.get('ctx'));
  if (!report.healthy) c.get('log').warn('health check failed', { checks: report.messages });
  return c.body(null, report.healthy ? 204 : 503);
});

/** Drydock's HealthCheck Status document, one message per check. */
healthRoutes.get('/health/extended', requirePolicy('physical_provisioner:health_data'), async (c) => {
  const report = await checkExtendedHealth(c.get('ctx'));
  const code = report.healthy ? 200 : 503;
  const body = statusDocument({
    ok: report.healthy,
    message: report.healthy ? '' : 'Drydock failed to respond',
    reason: 'HealthCheck',
    messageList: report.messages,
    code,
  });
  return c.json(body, code);
});
