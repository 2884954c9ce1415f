/**
 * The body of a boot action signal, as the seed documents it and Drydock's
 * JSON schema checks it: an object with an optional `status` and an optional
 * `details` list of `{message: string, error: boolean, ...}`; no other
 * top-level field. `context`, `context_type` and `ts` in a detail are
 * reserved (the server sets them) and refused.
 *
 * Drydock kept only the last extra field of a detail (it rebuilt `extra` per
 * field); every extra field is kept here. Its schema accepted `Success` and
 * `success` only; any case is accepted here, as the seed says.
 *
 * Any deploying node can post, so each detail is bounded before anything is
 * stored: a message over BOOTACTION_MAX_MESSAGE_CHARS or extra fields over
 * BOOTACTION_DETAIL_MAX_EXTRA_CHARS (as JSON) are 413, extra fields nested
 * deeper than BOOTACTION_DETAIL_MAX_DEPTH are 400. One bad detail refuses the
 * whole report.
 */
import type { Config } from '../../core/config.ts';
import { ApiError } from '../../core/errors.ts';
import type { FinalStatus } from '../../bootaction/records.ts';

export interface SignalDetail {
  message: string;
  error: boolean;
  extra: Record<string, unknown>;
}

export interface SignalBody {
  status: FinalStatus | null;
  details: SignalDetail[];
}

export type SignalLimits = Pick<
  Config,
  'BOOTACTION_MAX_MESSAGE_CHARS' | 'BOOTACTION_DETAIL_MAX_EXTRA_CHARS' | 'BOOTACTION_DETAIL_MAX_DEPTH'
>;

const RESERVED = ['context', 'context_type', 'ts'];
/** Detail messages per request: each one is a row written in the signal's batch. */
export const MAX_DETAILS = 100;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const bad = (message: string) => new ApiError('BadRequest', message);

/** Whether containers nest more than `levels` deep in `value` (a scalar is 0); stops at the first too deep. */
function nestsDeeper(value: unknown, levels: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (levels === 0) return true;
  return Object.values(value).some((child) => nestsDeeper(child, levels - 1));
}

function parseDetail(item: unknown, i: number, limits: SignalLimits): SignalDetail {
  if (!isObject(item)) throw bad(`details[${i}] must be an object`);
  const { message, error, ...extra } = item;
  if (typeof message !== 'string') throw bad(`details[${i}].message is required and must be a string`);
  if (typeof error !== 'boolean') throw bad(`details[${i}].error is required and must be true or false`);
  const reserved = RESERVED.filter((f) => f in extra);
  if (reserved.length > 0) throw bad(`details[${i}] sets reserved field(s) ${reserved.join(', ')}`);
  const depth = limits.BOOTACTION_DETAIL_MAX_DEPTH;
  if (Object.values(extra).some((v) => nestsDeeper(v, depth))) throw bad(`details[${i}]: extra fields may nest at most ${depth} levels`);
  if (message.length > limits.BOOTACTION_MAX_MESSAGE_CHARS) {
    throw new ApiError('PayloadTooLarge', `details[${i}].message is longer than ${limits.BOOTACTION_MAX_MESSAGE_CHARS} characters`);
  }
  if (JSON.stringify(extra).length > limits.BOOTACTION_DETAIL_MAX_EXTRA_CHARS) {
    throw new ApiError('PayloadTooLarge', `details[${i}]: extra fields take more than ${limits.BOOTACTION_DETAIL_MAX_EXTRA_CHARS} characters as JSON`);
  }
  return { message, error, extra };
}

export function parseSignalBody(body: unknown, limits: SignalLimits): SignalBody {
  if (!isObject(body)) throw bad('Request body must be a JSON object with an optional status and details');
  const unknown = Object.keys(body).filter((k) => k !== 'status' && k !== 'details');
  if (unknown.length > 0) throw bad(`Unknown field(s) ${unknown.map((k) => k.slice(0, 64)).join(', ')}`);
  let status: FinalStatus | null = null;
  if ('status' in body) {
    const raw = typeof body['status'] === 'string' ? body['status'].toLowerCase() : null;
    if (raw !== 'success' && raw !== 'failure') throw bad('status must be Success or Failure');
    status = raw;
  }
  let details: SignalDetail[] = [];
  if ('details' in body) {
    const list = body['details'];
    if (!Array.isArray(list)) throw bad('details must be a list');
    if (list.length > MAX_DETAILS) throw bad(`details may hold at most ${MAX_DETAILS} messages per request`);
    details = list.map((item, i) => parseDetail(item, i, limits));
  }
  return { status, details };
}
