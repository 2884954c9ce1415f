import type { Context } from 'hono';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';
import { BodyTimeout, readLimited, TooLarge } from '../core/read-limited.ts';

/**
 * A request body up to `maxBytes`, received within REQUEST_BODY_TIMEOUT_MS:
 * 413 when over the limit however it is sent, 408 when it has not all
 * arrived in time (a declared body that never comes would otherwise hold
 * the request as long as the client likes).
 *
 * The body stream is the client's connection, so any other failure while
 * reading it means the client went away mid-body (Node: "aborted",
 * ECONNRESET). That is the client's business, logged at debug; the 400 is
 * for the request log, since nobody is left to read it.
 */
export async function readRequestBody(c: Context<AppEnv>, maxBytes: number): Promise<Uint8Array> {
  const timeoutMs = c.get('services').config.REQUEST_BODY_TIMEOUT_MS;
  try {
    return await readLimited(c.req.raw, maxBytes, { timeoutMs });
  } catch (err) {
    if (err instanceof TooLarge) {
      throw new ApiError('PayloadTooLarge', `Request body exceeds the limit of ${maxBytes} bytes`);
    }
    if (err instanceof BodyTimeout) {
      throw new ApiError('RequestTimeout', `Request body not received within ${timeoutMs} ms`);
    }
    c.get('log')?.debug('client aborted the request body', { error: err instanceof Error ? err.message : String(err) });
    throw new ApiError('BadRequest', 'Request body was not received completely (the client closed the connection)');
  }
}
