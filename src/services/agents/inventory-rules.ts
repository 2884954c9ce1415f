import type { Logger } from '../../core/log.ts';
import type { Db } from '../../db/types.ts';
import type { RuleContext } from '../../design/validators/rule.ts';
import { reportedBootImages } from './inventory.ts';

/**
 * The rules' context at an edge whose driver calls all run at site agents:
 * each site's boot images as its agent last reported them (Platform
 * Selection checks a design against its own site's). The context holds
 * the catalogues only, not when they were taken, so findings are computed
 * again when a catalogue changes and not when an agent reports the same one.
 * One read serves validations for `ttlMs`; a failed read is not kept.
 */
export function inventoryRuleContext(deps: { db: Db; clock: () => Date; logger: Logger }, ttlMs: number): () => Promise<RuleContext> {
  let kept: { context: RuleContext; until: number } | null = null;
  return async () => {
    const now = deps.clock().getTime();
    if (kept && now < kept.until) return kept.context;
    try {
      const context: RuleContext = { platforms: { images: {}, bySite: await reportedBootImages(deps.db) } };
      kept = { context, until: now + ttlMs };
      return context;
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      deps.logger.warn('site inventories unavailable for design validation', { reason });
      return { platforms: { images: {}, unavailable: 'the site agents\' reported images could not be read' } };
    }
  };
}
