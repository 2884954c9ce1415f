import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseYamlFast } from '../../../src/design/parse/yaml-fast.ts';
import { parseYamlPrecisely } from '../../../src/design/parse/yaml-precise.ts';
import { parseYamlStream } from '../../../src/design/parse/yaml-stream.ts';
import { expectSameReading } from './yaml-compare.ts';

const agrees = (text: string) => expectSameReading(parseYamlStream(text), parseYamlPrecisely(text));

describe('parseYamlFast: document layout', () => {
  const layouts: Array<[string, string]> = [
    ['comments before the first marker', '# site\n# more\n---\na: 1\n'],
    ['a first document without a marker', '# site\n\na: 1\n---\nb: 2\n'],
    ['empty documents and comment-only ones', '---\n---   # c\n\n# only a comment\n---\n~\n---\n'],
    ['document end markers', 'a: 1\n...\n# c\n---\nb: 2\n... # end\n'],
    ['content indented under the marker', '---\n  a: 1\n  b: 2\n'],
    ['a scalar on the marker line', '--- "text"\n--- |\n  block\n--- [1, 2]\n'],
    ['a top-level block scalar cut by the next marker', '--- |\ntext\n---\nb: 1\n'],
    ['CRLF line ends', 'a: 1\r\n---\r\n# c\r\nb: [1, 2]\r\n'],
    ['a byte order mark', '\uFEFF# c\na: 1\n---\nb: 2\n'],
    ['no final line break', '---\na: 1\n---\nb: 2'],
    ['a marker with a tab or trailing blanks', 'a: 1\n---\t\nb: 2\n---  \nc: 3\n'],
    ['lookalike markers inside content', 'a: |\n  ---\n  ...\nb: "x --- y"\n----: 1\n'],
  ];
  for (const [name, text] of layouts) {
    it(`reads ${name} as the yaml package does`, () => {
      expect(parseYamlFast(text)).not.toBeNull();
      agrees(text);
    });
  }

  it('leaves directives and content after a document end to the yaml package', () => {
    for (const text of ['%YAML 1.1\n---\na: 1\n', '%TAG !d! tag:drydock,2018:\n---\na: !d!x 1\n', 'a: 1\n...\nb: 2\n', '...\n', 'a: 1\n...\n...\n']) {
      expect(parseYamlFast(text)).toBeNull();
      agrees(text);
    }
  });
});

describe('parseYamlFast: constructs the two readers disagree on', () => {
  const routed: Array<[string, string]> = [
    ['a null key', '~: a\nnull: b\n'],
    ['an empty key', ': a\n'],
    ['a collection as a key', '[a, b]: c\n{d: 1}: e\n'],
    ['an explicit key', '? a\n: b\n'],
    ['an implicit key longer than 1024 characters', `${'k'.repeat(1100)}: v\n`],
    ['a block mapping on the marker line', '--- a: 1\n'],
    ['a tag on the document', '--- !!map\na: 1\n'],
    ['explicit scalar tags', 'a: !!int "12"\nb: !!float 1\nc: !!binary aGVsbG8=\nd: !!timestamp 2001-12-14\n'],
    ['collection tags', 'a: !!set {x, y}\nb: !!omap [x: 1]\n'],
    ['an explicit merge tag', 'x: {a: 1}\ny:\n  !!merge <<: {b: 2}\n'],
    ['a merge of a scalar', '<<: 1\n'],
    ['a repeated merge key', '<<: {a: 1}\n<<: {b: 2}\n'],
    ['anchors and aliases', 'a: &x {b: 1}\nc: *x\nd: &s 5\ne: *s\n'],
    ['a recursive alias', 'a: &x\n  b: *x\n'],
    ['nesting deeper than 100 levels', `${'['.repeat(120)}${']'.repeat(120)}\n`],
    ['a lone carriage return', 'a: 1\rb: 2\n'],
    ['unicode line separators', 'a: "x\u2028y"\nb: x\u0085y\n'],
    ['a tab before a value', 'a:\tb\n'],
    ['a tab used as indentation', 'a:\n\t- 1\n'],
    ['keys equal only as strings', '1: a\n"1": b\nyes: c\ntrue: d\n'],
  ];
  for (const [name, text] of routed) {
    it(`reads ${name} as the yaml package does`, () => agrees(`a: 0\n---\n${text}`));
  }

  it('reads 300 mutated fixture documents exactly as the yaml package does', () => {
    const site = readFileSync(new URL('../../fixtures/designs/site.yaml', import.meta.url), 'utf8');
    const chunks = site.split(/^(?=---)/m);
    const pieces = [':', '-', ' ', '\n', '#', "'", '"', '[', ']', '{', '}', ',', '&', '*', '!', '|', '>', '?', '\t', '~', '---\n', '...\n', '<<: {m: 1}\n'];
    let seed = 20_260_427;
    const random = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
      return seed % n;
    };
    let fast = 0;
    for (let i = 0; i < 300; i += 1) {
      const at = random(chunks.length - 1);
      let text = chunks.slice(at, at + 2).join('');
      for (let edits = 1 + random(2); edits > 0; edits -= 1) {
        const pos = random(text.length + 1);
        text = random(3) === 0 ? text.slice(0, pos) + text.slice(pos + 1) : text.slice(0, pos) + pieces[random(pieces.length)] + text.slice(pos);
      }
      if (parseYamlFast(text)) fast += 1;
      agrees(text);
    }
    expect(fast).toBeGreaterThan(100);
  });
});
