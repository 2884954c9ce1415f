import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/core/config.ts';
import { createSecretBox } from '../../src/core/secret-box.ts';
import { designLimitsOf, inRequestReader } from '../../src/design/reader.ts';
import { LruCache } from '../../src/design/site-cache.ts';
import { validateDesign, type CompiledDesign, type SiteDesignDeps } from '../../src/design/site-design.ts';
import type { RuleContext } from '../../src/design/validators/rule.ts';

// Rule findings are cached with the design's reading, but Platform Selection
// depends on what the node driver offers now (MAAS's boot images): a design
// validated against one catalogue is validated again when it changes.

const SITE = readFileSync(new URL('../fixtures/designs/site.yaml', import.meta.url), 'utf8');

function deps(catalogue: () => RuleContext['platforms']) {
  let reads = 0;
  const reader = inRequestReader(designLimitsOf(loadConfig({})));
  const d: SiteDesignDeps = {
    source: { resolve: async (ref) => ({ text: SITE, contentType: 'application/yaml', ref }) },
    cache: new LruCache<CompiledDesign>(8),
    ruleContext: async () => ({ platforms: catalogue() }),
    reader: { read: (request) => (reads++, reader.read(request)) },
    box: createSecretBox(new Uint8Array(32)),
  };
  return { d, reads: () => reads };
}

const platformErrors = (report: Awaited<ReturnType<typeof validateDesign>>) =>
  report.messages.filter((m) => m.name === 'DD3001' && m.error).map((m) => m.message);

describe('design rules against a changing node driver catalogue', () => {
  it('reuses findings while the catalogue is the same, and validates again when it changes', async () => {
    let images: Record<string, string[]> = { xenial: ['ga-16.04', 'hwe-16.04'] };
    const { d, reads } = deps(() => ({ images }));
    expect(platformErrors(await validateDesign(d, 'file:///site.yaml'))).toEqual([]);
    expect(platformErrors(await validateDesign(d, 'file:///site.yaml'))).toEqual([]);
    expect(reads()).toBe(1);
    // The xenial images are removed from MAAS: the same design is no longer deployable.
    images = { jammy: ['ga-22.04'] };
    const report = await validateDesign(d, 'file:///site.yaml');
    expect(report.valid).toBe(false);
    expect(platformErrors(report)).toEqual(expect.arrayContaining(['Platform Selection: Platform Validation: invalid image xenial']));
    expect(reads()).toBe(2);
  });
});
