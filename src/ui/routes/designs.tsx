/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { ApiError } from '../../core/errors.ts';
import { authorize } from '../../http/authorize.ts';
import type { AppEnv } from '../../http/env.ts';
import { listDesigns, storeUploadedDesign } from '../../services/designs.ts';
import { validateDesignRef } from '../../services/validation.ts';
import { SMALL_FORM_BYTES } from '../form.ts';
import { DesignsPage, type ValidationResult } from '../pages/designs.tsx';
import { page } from '../render.ts';
import { csrfForm, csrfOf } from '../session.ts';

/** Rules as the API's: read_data to list, ingest_data to upload, validate_site_design to validate. */
export const designPages = new Hono<AppEnv>();

async function designsPage(c: Context<AppEnv>, validation: ValidationResult | null = null) {
  const principal = await authorize(c, 'physical_provisioner:read_data');
  const designs = await listDesigns(c.get('ctx'));
  const status = validation && !validation.report.valid ? 400 : 200;
  return page(c, <DesignsPage user={principal.user} csrf={csrfOf(c)} designs={designs} validation={validation} />, status);
}

async function validated(c: Context<AppEnv>, ref: string): Promise<ValidationResult> {
  await authorize(c, 'physical_provisioner:validate_site_design');
  return { ref, report: await validateDesignRef(c.get('ctx'), ref) };
}

designPages.get('/designs', (c) => designsPage(c));

/** An upload (file or pasted text) is stored as POST /designs stores it, then validated as design://<id>. */
designPages.post('/designs', async (c) => {
  const ctx = c.get('ctx');
  const form = await csrfForm(c, ctx.config.DESIGN_MAX_BYTES + SMALL_FORM_BYTES);
  const principal = await authorize(c, 'physical_provisioner:ingest_data');
  const bytes = form.file('file') ?? (form.get('text') ? new TextEncoder().encode(form.get('text')) : null);
  if (!bytes) throw new ApiError('BadRequest', 'Choose a design file or paste its documents');
  if (bytes.length > ctx.config.DESIGN_MAX_BYTES) throw new ApiError('PayloadTooLarge', `A design may be at most ${ctx.config.DESIGN_MAX_BYTES} bytes`);
  const format = /^\s*\[/.test(new TextDecoder().decode(bytes.subarray(0, 64))) ? 'json' : 'yaml';
  const stored = await storeUploadedDesign(ctx, { bytes, format, createdBy: principal.user ?? null });
  return designsPage(c, await validated(c, `design://${stored.designId}`));
});

designPages.post('/designs/validate', async (c) => {
  const form = await csrfForm(c, SMALL_FORM_BYTES);
  const ref = form.get('ref');
  if (!ref) throw new ApiError('BadRequest', 'Give a design ref');
  return designsPage(c, await validated(c, ref));
});
