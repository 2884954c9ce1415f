import type { Db } from '../db/types.ts';
import type { SiteModel } from '../design/model.ts';
import { ApiError } from '../core/errors.ts';
import { loadPinned, siteOrThrow, type CompiledDesign, type LoadOptions, type SiteDesignDeps } from '../design/site-design.ts';
import { pinTaskDesign } from './design-pin.ts';
import { BAD_DESIGN, TaskFailure } from './failure.ts';
import type { TaskMessage, TaskRow } from './task-store.ts';

/**
 * The design of a task's steps. At its first step a task pins the content
 * its design_ref gives then (design-pin.ts); every later step, and every
 * subtask, reads that content by its hash: from the compiled-design cache,
 * else from the designs table. So a deploy sees one design from start to
 * end, and hundreds of short steps cost no fetch of the ref. (Drydock loads
 * the design_ref again in each action run, so an edit mid-deploy reaches
 * the nodes deployed after it.)
 */
export function createSiteLoader(deps: SiteDesignDeps, db: Db, clock: () => Date) {
  /** The task's pinned content hash, pinning it now if the task has none yet. */
  async function pin(row: TaskRow): Promise<string> {
    try {
      return await pinTaskDesign({ siteDesign: deps, db, clock }, row);
    } catch (err) {
      // A ref that cannot be resolved ends the task (as Drydock); anything
      // else (the database) fails the step, which is tried again.
      throw err instanceof ApiError ? asLoadError(row.designRef ?? '', err) : err;
    }
  }

  async function design(row: TaskRow, options: LoadOptions = {}): Promise<CompiledDesign> {
    return loadPinned(deps, db, await pin(row), options);
  }

  async function site(row: TaskRow): Promise<SiteModel> {
    const loaded = await design(row);
    try {
      return siteOrThrow(loaded, row.designRef ?? '');
    } catch (err) {
      throw asLoadError(row.designRef ?? '', err);
    }
  }

  return { pin, design, site };
}

function asLoadError(ref: string, err: unknown): TaskFailure {
  if (err instanceof TaskFailure) return err;
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
