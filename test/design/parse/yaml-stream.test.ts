import { describe, expect, it } from 'vitest';
import { MAX_ALIAS_COUNT, parseJsonDocuments, parseYamlStream } from '../../../src/design/parse/yaml-stream.ts';

const values = (text: string) => parseYamlStream(text).documents.map((d) => d.value);

describe('parseYamlStream', () => {
  it('reads every document of a stream with its index and the line it starts on', () => {
    const stream = parseYamlStream('# site\na: 1\n---\n\n# two\nb: 2\n---\n---\nc: 3\n');
    expect(stream.errors).toEqual([]);
    expect(stream.documents.map((d) => [d.index, d.line, d.value])).toEqual([
      [0, 2, { a: 1 }],
      [1, 6, { b: 2 }],
      [2, 7, null],
      [3, 9, { c: 3 }],
    ]);
  });

  it('names the line and column of a syntax error', () => {
    const stream = parseYamlStream('a: 1\n---\nb:\n  - x\n   y: [1\n');
    expect(stream.errors.length).toBeGreaterThan(0);
    const [first] = stream.errors;
    expect(first?.index).toBe(1);
    expect(first?.line).toBeGreaterThanOrEqual(4);
    expect(first?.message).toMatch(/^Error parsing YAML at line \d+, column \d+: /);
    expect(first?.message).toContain(`at line ${first?.line}, column ${first?.column}:`);
  });

  it('still returns the readable documents around a broken one', () => {
    const stream = parseYamlStream('a: 1\n---\nb: [1\n---\nc: 3\n');
    expect(stream.errors).toHaveLength(1);
    expect(stream.documents.map((d) => d.value)).toEqual([{ a: 1 }, { c: 3 }]);
  });

  it('rejects a billion-laughs alias bomb in well under a second', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    let previous = 'a';
    for (const name of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']) {
      bomb += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
      previous = name;
    }
    const started = performance.now();
    const stream = parseYamlStream(`schema: drydock/Region/v1\n---\n${bomb}`);
    expect(performance.now() - started).toBeLessThan(500);
    expect(stream.documents.map((d) => d.value)).toEqual([{ schema: 'drydock/Region/v1' }]);
    expect(stream.errors).toHaveLength(1);
    expect(stream.errors[0]?.message).toContain(`more than ${MAX_ALIAS_COUNT} alias references`);
    expect(stream.errors[0]?.message).toContain('YAML document 2 (line 3)');
  });

  it('allows a modest use of anchors and merge keys', () => {
    const text = 'base: &base {mtu: 1500, linkspeed: auto}\nlink:\n  <<: *base\n  mtu: 9000\nagain: *base\n';
    expect(values(text)).toEqual([
      { base: { mtu: 1500, linkspeed: 'auto' }, link: { mtu: 9000, linkspeed: 'auto' }, again: { mtu: 1500, linkspeed: 'auto' } },
    ]);
  });

  it('rejects an alias that makes a structure contain itself', () => {
    const stream = parseYamlStream('a: &x\n  b: *x\n');
    expect(stream.documents).toEqual([]);
    expect(stream.errors[0]?.message).toContain('recursive structure');
  });

  it('resolves plain scalars as PyYAML does (YAML 1.1, Drydock\'s reader)', () => {
    const [doc] = values(
      'a: yes\nb: off\nc: y\nd: n\ne: 0755\nf: 08\ng: 1e3\nh: 1.5e+3\ni: 1.5e3\nj: 1:30\nk: 0:30\nl: 0x1F\nm: ~\nn: 802.3ad\no: .5\n',
    );
    expect(doc).toEqual({
      a: true,
      b: false,
      c: 'y',
      d: 'n',
      e: 493,
      f: '08',
      g: '1e3',
      h: 1500,
      i: '1.5e3',
      j: 90,
      k: '0:30',
      l: 31,
      m: null,
      n: '802.3ad',
      o: 0.5,
    });
  });

  it('keeps the last value of a repeated key, as PyYAML does, and warns', () => {
    const stream = parseYamlStream('network: mgmt\naddress: 10.0.0.1\naddress: 10.0.0.2\n');
    expect(stream.errors).toEqual([]);
    expect(stream.documents[0]?.value).toEqual({ network: 'mgmt', address: '10.0.0.2' });
    expect(stream.warnings).toHaveLength(1);
    expect(stream.warnings[0]?.message).toBe("Duplicate key 'address' at line 3, column 1: the last value is used, as Drydock does");
  });

  it('locates the line of a node by its path, or of its nearest ancestor', () => {
    const [doc] = parseYamlStream('data:\n  storage:\n    devices:\n      - name: a\n      - name: b\n').documents;
    expect(doc?.locate(['data', 'storage', 'devices', 1, 'name'])).toBe(5);
    expect(doc?.locate(['data', 'storage', 'missing', 'x'])).toBe(2);
  });
});

describe('parseJsonDocuments', () => {
  it('reads a JSON array of documents', () => {
    const stream = parseJsonDocuments('[{"a": 1}, null, {"b": [2]}]');
    expect(stream.errors).toEqual([]);
    expect(stream.documents.map((d) => [d.index, d.line, d.value])).toEqual([
      [0, null, { a: 1 }],
      [1, null, null],
      [2, null, { b: [2] }],
    ]);
  });

  it('reads a single JSON object as one document', () => {
    expect(parseJsonDocuments('{"a": 1}').documents.map((d) => d.value)).toEqual([{ a: 1 }]);
  });

  it('reports a JSON syntax error with its line and column', () => {
    const stream = parseJsonDocuments('[\n  {"a": 1},\n  {"b": }\n]');
    expect(stream.documents).toEqual([]);
    expect(stream.errors).toHaveLength(1);
    expect(stream.errors[0]).toMatchObject({ line: 3, message: expect.stringMatching(/^Error parsing JSON at line 3, column \d+: /) });
    expect(parseJsonDocuments('[1,\n 2 3]').errors[0]?.message).toMatch(/^Error parsing JSON at line 2, column \d+: /);
  });
});
