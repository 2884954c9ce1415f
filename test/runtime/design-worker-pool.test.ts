import { afterAll, describe, expect, it } from 'vitest';
import { generateSite } from '../../bench/site-generator.ts';
import { DEFAULT_DESIGN_LIMITS } from '../../src/design/parse/limits.ts';
import { FAKE_LAB_IMAGES } from '../../src/drivers/fake/boot-images.ts';
import { createLogger } from '../../src/core/log.ts';
import { createDesignWorkerPool } from '../../src/runtime/design-worker/pool.ts';
import { readDesignNow } from '../../src/design/reader.ts';

const pool = createDesignWorkerPool({
  limits: DEFAULT_DESIGN_LIMITS,
  memoryMb: 256,
  workers: 2,
  logger: createLogger({ level: 'error' }),
});
afterAll(() => pool.close());

const rules = { platforms: { images: FAKE_LAB_IMAGES } };

describe('the design worker pool', () => {
  it('answers exactly what the in-request reader answers (the site model and messages survive structured clone)', async () => {
    const { yaml } = generateSite(20);
    const request = { text: yaml, format: 'yaml' as const, rules };
    const off = await pool.read(request);
    const here = readDesignNow(request, DEFAULT_DESIGN_LIMITS);
    expect(off.site?.nodes.size).toBe(20);
    expect(off.site?.nodes).toBeInstanceOf(Map);
    expect(off).toEqual(here);
  });

  it('answers a design with errors and a refused design as the in-request reader does', async () => {
    for (const text of ['a: [1, 2\nb: }\n', `a: ${'['.repeat(100)}${']'.repeat(100)}`, '---\nschema: drydock/Rack/v1\nmetadata: {name: r1}\ndata: {tor_switches: 3}\n']) {
      const request = { text, format: 'yaml' as const };
      expect(await pool.read(request)).toEqual(readDesignNow(request, DEFAULT_DESIGN_LIMITS));
    }
  });

  it('reads several designs at once', async () => {
    const texts = [4, 8, 12, 16].map((n) => generateSite(n).yaml);
    const readings = await Promise.all(texts.map((text) => pool.read({ text, format: 'yaml' })));
    expect(readings.map((r) => r.site?.nodes.size)).toEqual([4, 8, 12, 16]);
  });
});
