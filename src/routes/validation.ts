import { Hono } from 'hono';
import * as v from 'valibot';
import { ApiError, statusDocument } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { readJsonBody } from '../middleware/json-body.ts';
import { requirePolicy } from '../middleware/policy.ts';
import { validateDesign } from '../design/site-design.ts';

export const validationRoutes = new Hono<AppEnv>();

const Body = v.looseObject({ rel: v.optional(v.unknown()), href: v.optional(v.unknown()), type: v.optional(v.unknown()) });

/** POST /validatedesign: Drydock's ValidationResource, with its messages. */
validationRoutes.post('/validatedesign', requirePolicy('physical_provisioner:validate_site_design'), async (c) => {
  const body = await readJsonBody(c);
  if (body === undefined || body === null) {
    throw new ApiError('BadRequest', 'Request body must not be empty for validation.');
  }
  const parsed = v.safeParse(Body, body);
  if (!parsed.success) throw new ApiError('BadRequest', 'Request body must be a JSON object.');
  const href = parsed.output.href;
  if (typeof href !== 'string' || href.trim() === '') {
    throw new ApiError('BadRequest', 'The "href" key must be provided in the request body.');
  }
  const { siteDesign, clock } = c.get('services');
  const report = await validateDesign(siteDesign, href.trim());
  const code = report.valid ? 200 : 400;
  // Drydock's ValidationMessage.to_dict() stamps each message with when it was
  // made; a compiled design is cached by content, so here `ts` is when this
  // validation was answered (ISO 8601, as task timestamps).
  const ts = clock().toISOString();
  const document = statusDocument({
    ok: report.valid,
    message: report.valid ? 'Site design passed validation' : 'Site design failed validation.',
    reason: report.valid ? '' : 'See detail messages.',
    messageList: report.messages.map((m) => ({ ...m, ts })),
    code,
  });
  return c.json(document, code);
});
