/**
 * One error type for the whole service. Services throw ApiError; the app's
 * onError turns it into the Airship Status envelope. Messages must never
 * contain tokens or keys: they are returned to clients and logged.
 */
export type ErrorReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'RequestTimeout'
  | 'Conflict'
  | 'PayloadTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'BadGateway'
  | 'ServiceUnavailable';

const STATUS: Record<ErrorReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  RequestTimeout: 408,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  TooManyRequests: 429,
  InternalError: 500,
  BadGateway: 502,
  ServiceUnavailable: 503,
};

export interface ErrorDetail {
  message: string;
  error?: boolean;
  [extra: string]: unknown;
}

export interface ApiErrorOptions {
  details?: ErrorDetail[];
  retry?: boolean;
  headers?: Record<string, string>;
}

export class ApiError extends Error {
  readonly reason: ErrorReason;
  readonly status: number;
  readonly details: ErrorDetail[];
  readonly retry: boolean;
  readonly headers: Record<string, string>;

  constructor(reason: ErrorReason, message: string, options: ApiErrorOptions = {}) {
    super(message);
    this.name = 'ApiError';
    this.reason = reason;
    this.status = STATUS[reason];
    this.details = options.details ?? [];
    this.retry = options.retry ?? (this.status === 503 || this.status === 429);
    this.headers = options.headers ?? {};
  }
}

export interface StatusEnvelope {
  kind: 'Status';
  apiVersion: 'v1.0';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: string;
  details: { errorCount: number; messageList: ErrorDetail[] };
  code: number;
  retry: boolean;
}

export function statusEnvelope(err: ApiError): StatusEnvelope {
  const messageList = err.details.map((d) => ({ ...d, error: d.error ?? true }));
  return {
    kind: 'Status',
    apiVersion: 'v1.0',
    metadata: {},
    status: 'Failure',
    message: err.message,
    reason: err.reason,
    details: { errorCount: messageList.filter((m) => m.error).length, messageList },
    code: err.status,
    retry: err.retry,
  };
}

/**
 * A Status document that reports an outcome rather than an error (health
 * checks, design validation): Success or Failure with every message, the
 * error count taken from the messages.
 */
export function statusDocument(input: {
  ok: boolean;
  message: string;
  reason: string;
  messageList: ReadonlyArray<{ error: boolean }>;
  code: number;
}) {
  return {
    kind: 'Status' as const,
    apiVersion: 'v1.0' as const,
    metadata: {},
    status: input.ok ? ('Success' as const) : ('Failure' as const),
    message: input.message,
    reason: input.reason,
    details: { errorCount: input.messageList.filter((m) => m.error).length, messageList: input.messageList },
    code: input.code,
  };
}
