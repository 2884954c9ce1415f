import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSite } from '../../../src/design/compile/index.ts';
import { parseDesign } from '../../../src/design/parse/documents.ts';

describe('the shared site fixture', () => {
  it('parses and compiles test/fixtures/designs/site.yaml with no messages', () => {
    const text = readFileSync(new URL('../../fixtures/designs/site.yaml', import.meta.url), 'utf8');
    const parsed = parseDesign(text);
    expect(parsed.messages).toEqual([]);
    const { site, messages } = compileSite(parsed.documents);
    expect(messages).toEqual([]);
    expect(site.nodes.size).toBeGreaterThan(0);
    for (const node of site.nodes.values()) expect(site.hardwareProfiles.has(node.hardwareProfile ?? '')).toBe(true);
  });
});
