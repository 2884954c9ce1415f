/**
 * Shared facts about stored boot action records (tables in
 * src/db/schema/bootactions.ts).
 */

/**
 * Statuses a node may still report on. Success and failure are final, and a
 * non-signaling action (`unreported`) takes no report at all: Drydock's
 * on_post accepts only `incomplete` and answers 409 otherwise.
 */
export const OPEN_STATUSES = ['incomplete'] as const;
export const NOT_SIGNALING_STATUS = 'unreported';
export type FinalStatus = 'success' | 'failure';

/**
 * The action key digest of a record whose deployment was replaced. It is 64
 * characters like every SHA-256 hex digest, so comparing against it costs the
 * same, but it is not hex: no key can ever match it.
 */
export const REVOKED_KEY_DIGEST = '-'.repeat(64);

/** What an unknown host or action is compared against, so it costs the same as a known one. */
export const ABSENT_KEY_DIGEST = '~'.repeat(64);

/** A boot action as the signal endpoint answers it: never a key or a digest. */
export interface BootActionView {
  action_id: string;
  action_name: string;
  node_name: string;
  task_id: string;
  action_status: string;
}
