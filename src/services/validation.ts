/** POST /validatedesign: Drydock's ValidationResource, as a report. */
import type { ValidationMessage } from '../design/model.ts';
import { validateDesign } from '../design/site-design.ts';
import type { ServiceContext } from './context.ts';

export interface DesignValidation {
  valid: boolean;
  /** Load findings, then every rule's; each stamped with `ts`. */
  messages: Array<ValidationMessage & { ts: string }>;
}

export async function validateDesignRef(ctx: Pick<ServiceContext, 'siteDesign' | 'clock'>, designRef: string): Promise<DesignValidation> {
  const report = await validateDesign(ctx.siteDesign, designRef);
  // Drydock's ValidationMessage.to_dict() stamps each message with when it was
  // made; a compiled design is cached by content, so here `ts` is when this
  // validation was answered (ISO 8601, as task timestamps).
  const ts = ctx.clock().toISOString();
  return { valid: report.valid, messages: report.messages.map((m) => ({ ...m, ts })) };
}
