import type { RuleContext } from '../design/validators/rule.ts';
import type { DriverContext, NodeDriver } from './types.ts';

type Platforms = RuleContext['platforms'];

/**
 * The rules' context from the node driver's images and kernels (Drydock's
 * Platform Selection asks MAAS on every validation). One answer serves
 * validations for `ttlMs`, so a burst of validations costs MAAS one read;
 * a failed listing is not kept, and the rule then only warns, as Drydock.
 */
export function ruleContextSource(
  driver: Pick<NodeDriver, 'bootImages'>,
  ctx: Omit<DriverContext, 'site' | 'taskId' | 'designRef'>,
  ttlMs: number,
): () => Promise<RuleContext> {
  let kept: { platforms: Platforms; until: number } | null = null;
  return async () => {
    const now = ctx.clock().getTime();
    if (kept && now < kept.until) return { platforms: kept.platforms };
    try {
      const platforms = { images: await driver.bootImages(ctx) };
      kept = { platforms, until: now + ttlMs };
      return { platforms };
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      ctx.logger.warn('node driver images unavailable for design validation', { reason });
      return { platforms: { images: {}, unavailable: reason } };
    }
  };
}
