import * as v from 'valibot';

/** Longest design_ref an endpoint takes (the resolver's own cap is higher; this one is the API's). */
export const MAX_DESIGN_REF = 2048;

/**
 * The design_ref rules of every endpoint that takes one (POST /tasks,
 * POST /nodefilter, /validatedesign's href): a string, trimmed, not empty, at
 * most MAX_DESIGN_REF characters. The messages are each endpoint's.
 */
export function designRef(messages: { missing: string; tooLong: string }) {
  return v.pipe(
    v.unknown(),
    v.string(messages.missing),
    v.trim(),
    v.nonEmpty(messages.missing),
    v.maxLength(MAX_DESIGN_REF, messages.tooLong),
  );
}

export const tooLong = (field: string) => `${field} must be at most ${MAX_DESIGN_REF} characters`;
