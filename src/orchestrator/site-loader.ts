import type { SiteModel } from '../design/model.ts';
import { ApiError } from '../errors.ts';
import { effectiveSite, type SiteDesignDeps } from '../services/site-design.ts';
import { BAD_DESIGN, TaskFailure } from './failure.ts';
import type { TaskMessage } from './task-store.ts';

const MAX_ENTRIES = 16;

/**
 * Loads the effective site of a design_ref for the steps of tasks. A task
 * takes hundreds of short steps; resolving its design_ref on each (an HTTP
 * fetch, or a read of a large stored design, plus hashing) would cost more
 * than the step. So a loaded site is kept per ref for `ttlMs`: like Drydock,
 * which loads the design once per action run, a task works on the design as
 * it was when loaded, here for at most ttlMs before looking again. When
 * looking again fails (an HTTP design server briefly down), the site last
 * loaded is used rather than failing a deploy in its hundredth step.
 */
export function createSiteLoader(deps: SiteDesignDeps, clock: () => Date, ttlMs = 30_000) {
  const loaded = new Map<string, { site: SiteModel; at: number }>();
  return async function load(ref: string | null): Promise<SiteModel> {
    if (!ref) throw new TaskFailure('The task has no design_ref', [], BAD_DESIGN);
    const now = clock().getTime();
    const hit = loaded.get(ref);
    if (hit && now - hit.at < ttlMs) return hit.site;
    let site: SiteModel;
    try {
      site = await effectiveSite(deps, ref);
    } catch (err) {
      if (hit) return hit.site;
      throw asLoadError(ref, err);
    }
    loaded.delete(ref);
    loaded.set(ref, { site, at: now });
    if (loaded.size > MAX_ENTRIES) loaded.delete(loaded.keys().next().value as string);
    return site;
  };
}

function asLoadError(ref: string, err: unknown): TaskFailure {
  const text = err instanceof Error ? err.message : String(err);
  const details = err instanceof ApiError ? err.details : [];
  const messages: TaskMessage[] = details.map((d) => ({
    message: d.message,
    error: d.error ?? true,
    context: 'NA',
    contextType: 'NA',
    extra: Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'message' && k !== 'error')),
  }));
  if (messages.length === 0) messages.push({ message: text, error: true, context: 'NA', contextType: 'NA' });
  return new TaskFailure(`Site design ${ref} failed to load: ${text}`, messages, BAD_DESIGN);
}
