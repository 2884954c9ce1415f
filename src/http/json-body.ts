import type { Context } from 'hono';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';
import { exceedsJsonDepth } from './json-depth.ts';
import { readRequestBody } from './read-request-body.ts';

function isJsonMediaType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/**
 * The body of a JSON endpoint: undefined when there is none; 415 when it is
 * not application/json; 413 over the configured limit; 400 when malformed or
 * nested deeper than MAX_JSON_DEPTH (checked before parsing). The parser's
 * message is not echoed: it can quote the body.
 */
export async function readJsonBody(c: Context<AppEnv>): Promise<unknown> {
  const hasBody = c.req.raw.body !== null && c.req.header('Content-Length') !== '0';
  if (!hasBody) return undefined;
  if (!isJsonMediaType(c.req.header('Content-Type'))) {
    throw new ApiError('UnsupportedMediaType', 'Request body must be application/json');
  }
  const { config } = c.get('services');
  const bytes = await readRequestBody(c, config.MAX_BODY_BYTES);
  if (bytes.byteLength === 0) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError('BadRequest', 'Request body is not valid UTF-8');
  }
  if (exceedsJsonDepth(text, config.MAX_JSON_DEPTH)) {
    throw new ApiError('BadRequest', `Request body is nested deeper than ${config.MAX_JSON_DEPTH} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('BadRequest', 'Request body is not valid JSON');
  }
}
