import type { Config } from '../../core/config.ts';

export type FailStep = 'power' | 'identify' | 'commission' | 'networking' | 'storage' | 'platform' | 'deploy' | 'release' | 'bootaction';

/**
 * FAKE_LAB_FAIL=<node>:<step>,… (already checked by the config schema). Read
 * per call from the call's config rather than cached, so there is no module
 * state and a test may give each context its own failures.
 */
export function injectedFailure(config: Config, nodeName: string, step: FailStep): string | null {
  const raw = config.FAKE_LAB_FAIL;
  if (!raw) return null;
  for (const entry of raw.split(',')) {
    const [node, which] = entry.trim().split(':');
    if (node === nodeName && which === step) return `FAKE_LAB_FAIL ${nodeName}:${step}`;
  }
  return null;
}
