import { Hono } from 'hono';
import { statusDocument } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { ValidateDesignBody } from '../http/schemas/designs.ts';
import { validJson } from '../http/validate.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { validateDesignRef } from '../services/validation.ts';

export const validationRoutes = new Hono<AppEnv>();

/** POST /validatedesign: Drydock's ValidationResource, with its messages. */
validationRoutes.post('/validatedesign', requirePolicy('physical_provisioner:validate_site_design'), async (c) => {
  const { href } = await validJson(c, ValidateDesignBody);
  const report = await validateDesignRef(c.get('ctx'), href);
  const code = report.valid ? 200 : 400;
  const document = statusDocument({
    ok: report.valid,
    message: report.valid ? 'Site design passed validation' : 'Site design failed validation.',
    reason: report.valid ? '' : 'See detail messages.',
    messageList: report.messages,
    code,
  });
  return c.json(document, code);
});
