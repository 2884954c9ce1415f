import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSite } from '../../../bench/site-generator.ts';
import { DEFAULT_DESIGN_LIMITS, DesignLimitExceeded } from '../../../src/design/parse/limits.ts';
import { prescanJson, prescanYaml } from '../../../src/design/parse/prescan.ts';

const limits = (over: Partial<typeof DEFAULT_DESIGN_LIMITS>) => ({ ...DEFAULT_DESIGN_LIMITS, ...over });
const refusal = (fn: () => void) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof DesignLimitExceeded) return err.failure;
    throw err;
  }
  return null;
};

describe('the design pre-scan', () => {
  it('passes the fixture sites and the 10,000-node bench site under the default limits', () => {
    for (const name of ['site.yaml', 'site-legacy.yaml']) {
      const text = readFileSync(new URL(`../../fixtures/designs/${name}`, import.meta.url), 'utf8');
      expect(refusal(() => prescanYaml(text, DEFAULT_DESIGN_LIMITS))).toBeNull();
    }
    expect(refusal(() => prescanYaml(generateSite(10_000).yaml, DEFAULT_DESIGN_LIMITS))).toBeNull();
  });

  it('counts block indentation, compact entries and flow brackets as depth (an entry one more than a parser would)', () => {
    const depth = (text: string) => {
      for (let max = 1; max < 20; max++) if (!refusal(() => prescanYaml(text, limits({ maxDepth: max })))) return max;
      return Infinity;
    };
    expect(depth('a: 1\n')).toBe(1);
    expect(depth('a:\n  b:\n    c: 1\n')).toBe(3);
    expect(depth('- - - x\n')).toBe(4);
    expect(depth('a:\n  - b:\n      c: 1\n')).toBe(3);
    expect(depth('a: [[1], {b: [2]}]\n')).toBe(4);
    expect(depth('a: [\n  [\n    [1]\n  ]\n]\n')).toBe(4);
  });

  it('does not count brackets in quotes, comments and block scalars', () => {
    const text = [
      'a: "[[[[[[[[[["',
      "b: '{{{{{{{{{{'",
      'c: x # [[[[[[[[[[',
      'd: |',
      '  [[[[[[[[[[',
      '  {{{{{{{{{{',
      'e: a[[[[[[[[[[b',
      'f: >-',
      '    - - - - - - - - - - x',
      'g: [1, "]]]", 2]',
    ].join('\n');
    expect(refusal(() => prescanYaml(text, limits({ maxDepth: 2 })))).toBeNull();
  });

  it('names the line, the limit and its setting', () => {
    expect(refusal(() => prescanYaml('a: 1\nb: [[[[x]]]]\n', limits({ maxDepth: 3 })))).toEqual({
      limit: 'depth',
      setting: 'DESIGN_MAX_DEPTH',
      message: 'The design exceeds a limit: it nests deeper than 3 levels at line 2 (DESIGN_MAX_DEPTH)',
    });
    expect(refusal(() => prescanYaml('a: &x 1\nb: [*x, *x, *x]\n', limits({ maxAliases: 2 })))?.setting).toBe('DESIGN_MAX_ALIASES');
    expect(refusal(() => prescanYaml('[1, 2, 3, 4, 5]', limits({ maxNodes: 5 })))?.setting).toBe('DESIGN_MAX_NODES');
  });

  it('scans JSON for depth and nodes, skipping strings', () => {
    expect(refusal(() => prescanJson('[{"a": "[[[[[[[["}]', limits({ maxDepth: 2 })))).toBeNull();
    expect(refusal(() => prescanJson('[[[[1]]]]', limits({ maxDepth: 3 })))?.setting).toBe('DESIGN_MAX_DEPTH');
    expect(refusal(() => prescanJson('[1,2,3,4,5,6]', limits({ maxNodes: 6 })))?.setting).toBe('DESIGN_MAX_NODES');
  });
});
