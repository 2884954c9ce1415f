import type { Progress } from '../types.ts';
import { OobError } from './oob-error.ts';
import { withoutSecrets } from '../redact.ts';

/**
 * A failed OOB call, naming the node and the BMC it talked to (Drydock says
 * only "Redfish command failed."). An error that is not an OobError is a
 * defect or an unexpected runtime error, reported with its text as is.
 */
export function failureOf(
  nodeName: string,
  bmc: string | null,
  err: unknown,
  secrets: readonly (string | null | undefined)[],
): Extract<Progress, { state: 'failed' }> {
  const what = err instanceof OobError ? err.message : `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
  const where = bmc ? `node ${nodeName}, BMC ${bmc}` : `node ${nodeName}`;
  return { state: 'failed', reason: withoutSecrets(`${where}: ${what}`, secrets) };
}
