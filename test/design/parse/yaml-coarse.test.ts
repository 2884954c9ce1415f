import { describe, expect, it } from 'vitest';
import { generateSite } from '../../../bench/site-generator.ts';
import { parseDesign } from '../../../src/design/parse/documents.ts';
import { DesignLimitExceeded } from '../../../src/design/parse/limits.ts';
import { parseYamlCoarsely, PRECISE_MAX_BYTES } from '../../../src/design/parse/yaml-coarse.ts';
import { parseYamlStream } from '../../../src/design/parse/yaml-stream.ts';

// Streams over PRECISE_MAX_BYTES that js-yaml cannot read cleanly are not
// handed to the `yaml` package (200 bytes of memory per byte of text).

const site = generateSite(1000).yaml;

describe('reading a large stream coarsely', () => {
  it('is used only above PRECISE_MAX_BYTES', () => {
    expect(site.length).toBeGreaterThan(PRECISE_MAX_BYTES);
  });

  it('reads a large valid design exactly as the fast reader does', () => {
    const fast = parseYamlStream(site);
    const coarse = parseYamlCoarsely(site, 2_000_000);
    expect(coarse.errors).toEqual([]);
    expect(coarse.documents.map((d) => [d.index, d.line, d.value])).toEqual(fast.documents.map((d) => [d.index, d.line, d.value]));
  });

  it('reports a syntax error at its line and column without quoting it, and keeps the other documents', () => {
    const lines = site.split('\n');
    const at = lines.findIndex((line, i) => i > 200 && /^  \w+:/.test(line));
    lines.splice(at, 0, '  broken: [SECRET-TEXT');
    const { documents, syntaxErrors, messages } = parseDesign(lines.join('\n'));
    expect(syntaxErrors).toHaveLength(1);
    expect(syntaxErrors[0]!.message).toMatch(new RegExp(`^Error parsing YAML at line (${at + 1}|${at + 2}), column \\d+: the text cannot be read as YAML$`));
    expect(JSON.stringify(messages)).not.toContain('SECRET');
    expect(documents.length).toBeGreaterThan(1000);
  });

  it('reads a large document with anchors without the yaml package', () => {
    const text = `${site}---\nschema: drydock/Region/v1\nmetadata: {name: r2}\ndata: &d {tag_definitions: []}\nextra: *d\n`;
    const stream = parseYamlStream(text);
    expect(stream.errors).toEqual([]);
    expect(stream.documents.at(-1)?.value).toMatchObject({ extra: { tag_definitions: [] } });
  });

  it('refuses aliases that expand a document past DESIGN_MAX_NODES', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]']
      .concat('bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`))
      .join('\n');
    const text = `${site}---\n${bomb}\n`;
    expect(() => parseDesign(text)).toThrow(DesignLimitExceeded);
    expect(() => parseDesign(text)).toThrow(/with its aliases expanded, document \d+ \(line \d+\) has more than 2000000 nodes \(DESIGN_MAX_NODES\)/);
  });
});
