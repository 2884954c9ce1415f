import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ApiError, statusEnvelope, type ErrorReason } from '../core/errors.ts';
import type { AppEnv } from '../http/env.ts';

const REASON_BY_STATUS: Record<number, ErrorReason> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  408: 'RequestTimeout',
  409: 'Conflict',
  413: 'PayloadTooLarge',
  415: 'UnsupportedMediaType',
  429: 'TooManyRequests',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

/** Answers an ApiError in the Airship Status envelope. */
export function errorResponse(c: Context<AppEnv>, err: ApiError): Response {
  const requestId = c.get('requestId');
  const headers: Record<string, string> = { ...err.headers };
  if (requestId) {
    headers['X-Context-Marker'] = requestId;
    headers['X-Drydock-Req'] = requestId;
  }
  return c.json(statusEnvelope(err), err.status as 400, headers);
}

/**
 * The app's onError: typed errors keep their status; anything unexpected is a
 * 500 naming the request id, with the stack in the log and never in the body.
 */
export function handleError(err: unknown, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) return errorResponse(c, err);
  if (err instanceof HTTPException) {
    const reason = REASON_BY_STATUS[err.status] ?? 'BadRequest';
    return errorResponse(c, new ApiError(reason, err.message || reason));
  }
  const requestId = c.get('requestId') ?? 'unknown';
  const log = c.get('log');
  const fields = { error: err instanceof Error ? err.message : String(err), stack: err instanceof Error ? err.stack : undefined };
  if (log) log.error('unhandled error', fields);
  else console.error(JSON.stringify({ level: 'error', msg: 'unhandled error', ...fields }));
  return errorResponse(c, new ApiError('InternalError', `Internal error; request id ${requestId}`));
}
