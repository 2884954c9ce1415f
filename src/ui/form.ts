import type { Context } from 'hono';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';
import { readRequestBody } from '../http/read-request-body.ts';

/** A form of the web view: the fields that are not files, and files as text. */
export interface FormFields {
  get(name: string): string;
  file(name: string): Uint8Array | null;
}

const FORM_TYPES = /^(application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * Reads a posted form through the same bounded body reader as the API (413
 * over `maxBytes`, 408 when it does not arrive in time), then parses it.
 */
export async function readForm(c: Context<AppEnv>, maxBytes: number): Promise<FormFields> {
  const type = c.req.header('Content-Type') ?? '';
  if (!FORM_TYPES.test(type)) throw new ApiError('UnsupportedMediaType', 'Send the form as a browser does');
  const bytes = await readRequestBody(c, maxBytes);
  let data: FormData;
  try {
    data = await new Request('http://form.invalid/', { method: 'POST', headers: { 'Content-Type': type }, body: bytes as Uint8Array<ArrayBuffer> }).formData();
  } catch {
    throw new ApiError('BadRequest', 'The form could not be read');
  }
  const files = new Map<string, Uint8Array>();
  for (const [name, value] of data.entries()) {
    if (typeof value !== 'string' && value.size > 0) files.set(name, new Uint8Array(await value.arrayBuffer()));
  }
  return {
    get: (name) => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    },
    file: (name) => files.get(name) ?? null,
  };
}

/** Small forms (sign-in, a task): a few KiB is plenty. */
export const SMALL_FORM_BYTES = 64 * 1024;
