import { validationReport } from '../../design/site-design.ts';
import { TaskFailure } from '../failure.ts';
import { complete, siteMessage, type StepContext, type StepResult } from '../step.ts';
import type { TaskMessage } from '../task-store.ts';

/**
 * Drydock's ValidateDesign, done inline in one step: the design's load
 * findings and rule findings become the task's messages.
 *
 * Drydock merges the validation messages with merge_status_messages, which
 * reads attributes a ValidationMessage does not have, so its task always
 * ends in the exception handler: failure with no messages at all. Here the
 * messages are kept, each with its rule name, level, diagnostic and documents.
 */
export async function validateDesignStep(ctx: StepContext): Promise<StepResult> {
  const ref = ctx.row.designRef;
  if (!ref) return complete({ status: 'failure' }, [siteMessage('The task has no design_ref', true)]);
  let report;
  try {
    report = validationReport(await ctx.design({ rules: true, site: false }));
  } catch (err) {
    // The TaskFailure of a ref that cannot be resolved carries the resolver's own words.
    const text = err instanceof TaskFailure ? (err.messages[0]?.message ?? err.message) : err instanceof Error ? err.message : String(err);
    return complete({ status: 'failure', message: 'Site design failed load.', reason: text }, [
      siteMessage(`Error loading effective site: ${text}`, true),
    ]);
  }
  const messages: TaskMessage[] = report.messages.map((m) => ({
    message: m.message,
    error: m.error,
    context: m.name,
    contextType: 'validation',
    extra: { kind: m.kind, name: m.name, level: m.level, diagnostic: m.diagnostic, documents: m.documents },
  }));
  return complete({ status: report.valid ? 'success' : 'failure' }, messages);
}
