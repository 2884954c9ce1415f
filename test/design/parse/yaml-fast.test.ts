import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateSite } from '../../../bench/site-generator.ts';
import { parseYamlFast } from '../../../src/design/parse/yaml-fast.ts';
import { parseYamlPrecisely } from '../../../src/design/parse/yaml-precise.ts';
import { MAX_ALIAS_COUNT, parseYamlStream } from '../../../src/design/parse/yaml-stream.ts';
import { expectSameReading, shape } from './yaml-compare.ts';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/designs/${name}`, import.meta.url), 'utf8');

/** The fast reading, asserting js-yaml read every document itself. */
function fastOnly(text: string) {
  const fast = parseYamlFast(text);
  expect(fast).not.toBeNull();
  expect(fast?.precise).toEqual([]);
  return fast!.stream;
}

/** One plain scalar for each rule of PyYAML's resolvers (yaml-tags.ts), and near misses. */
const SCALARS = [
  ...['yes', 'Yes', 'YES', 'no', 'No', 'NO', 'true', 'True', 'TRUE', 'false', 'False', 'FALSE'],
  ...['on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N', 'yEs', 'tRUE'],
  ...['0', '7', '-7', '+7', '1_000', '1__0', '_1', '12345678901234567890'],
  ...['0b1010', '-0b1_0', '0b2', '0755', '0_7', '00', '08', '09', '0o17', '0x1F', '0x_ff', '-0x1f', '0xG'],
  ...['1:30', '190:20:30', '-1:30', '0:30', '1:60', '1:30.5', '0:30.5'],
  ...['1.5', '-1.5', '+1.5', '1.', '.5', '1_0.5', '1.5e+3', '1.5E-3', '.5e+3', '0.', '-0.0'],
  ...['1.5e3', '1e3', '1e+3', '._5', '.'],
  ...['.inf', '-.inf', '+.Inf', '.INF', '.nan', '.NaN', '.NAN', '.Nan'],
  ...['~', 'null', 'Null', 'NULL', 'nULL'],
  ...['2001-12-14', '2001-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '2001-12-14T21:59:43Z'],
  ...['2002-12-14T21:59:43.1234+05:30', '2001-13-45', '2001-12-14T1:2:3'],
  ...['802.3ad', '10.0.0.1', '1.2.3', 'fe80::1', 'ttyS1,115200n8', '30g', '<<', '1-2', 'abc'],
];

describe('parseYamlFast: agreement with the yaml package', () => {
  it('reads the fixture sites with js-yaml alone, as the yaml package reads them', () => {
    for (const name of ['site.yaml', 'site-legacy.yaml']) {
      const text = fixture(name);
      expectSameReading(fastOnly(text), parseYamlPrecisely(text));
    }
  });

  it('reads a generated site with js-yaml alone, as the yaml package reads it', () => {
    const { yaml } = generateSite(30);
    const fast = fastOnly(yaml);
    expect(fast.documents.length).toBeGreaterThan(30);
    expectSameReading(fast, parseYamlPrecisely(yaml));
  });

  it('resolves every plain scalar rule as the yaml package does, as a value, an item and a key', () => {
    const values = SCALARS.map((s, i) => `v${i}: ${s}\n`).join('');
    const items = SCALARS.map((s) => `- ${s}\n`).join('');
    // A null key goes to the yaml package (see below); `<<` is a merge key.
    const keys = SCALARS.filter((s) => !['~', 'null', 'Null', 'NULL', '<<'].includes(s)).map((s) => `- ${s}: k\n`).join('');
    const flow = `[${SCALARS.filter((s) => !s.includes(',')).join(', ')}]\n`;
    const text = `${values}---\n${items}---\n${keys}---\n${flow}`;
    const fast = fastOnly(text);
    expectSameReading(fast, parseYamlPrecisely(text));
    const byValue = fast.documents[0]?.value as Record<string, unknown>;
    const read = (scalar: string) => byValue[`v${SCALARS.indexOf(scalar)}`];
    expect(['yes', 'y', '0755', '08', '0:30', '1.5e+3', '1.5e3', '.inf', '~'].map(read)).toEqual([true, 'y', 493, '08', '0:30', 1500, '1.5e3', Infinity, null]);
    expect(read('2001-12-14')).toEqual(new Date(Date.UTC(2001, 11, 14)));
  });

  it('agrees on quoted and block scalars, escapes, comments, flow collections and merge keys', () => {
    const text = [
      'a: "\\x41\\u0042\\U00000043\\N\\_\\L\\P\\/\\t\\ \\e\\0"',
      "b: 'it''s'",
      'c: "multi\n  line\n\n  para"',
      'd: |-\n  x\n\n  y\n',
      'e: >\n  folded\n  text\n\n   indented\n  back',
      'f: |+\n  kept\n\n',
      'g: plain\n  multi line # comment',
      'h: [1, {i: j}, [k], "l"]',
      'm: {n: o, "p": q, r: }',
      'base:\n  <<: [{mtu: 1500, speed: auto}, {mtu: 9000, bond: lacp}]\n  speed: 10g',
      'x: !!str 0755',
      '__proto__: {polluted: 1}',
      'toString: 2',
    ].join('\n');
    expectSameReading(fastOnly(`${text}\n`), parseYamlPrecisely(`${text}\n`));
  });
});

describe('parseYamlStream: what still goes to the yaml package', () => {
  it('sends a document with anchors to the yaml package, and reads the rest with js-yaml', () => {
    const text = 'a: 1\n---\nbase: &base {mtu: 1500}\nlink:\n  <<: *base\n  mtu: 9000\n---\nc: 3\n';
    const fast = parseYamlFast(text);
    expect(fast?.precise).toEqual([1]);
    expectSameReading(fast!.stream, parseYamlPrecisely(text));
  });

  it('rejects an alias bomb quickly, with the yaml package\'s message', () => {
    let bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n';
    for (const [name, previous] of [['b', 'a'], ['c', 'b'], ['d', 'c'], ['e', 'd'], ['f', 'e'], ['g', 'f'], ['h', 'g'], ['i', 'h']]) {
      bomb += `${name}: &${name} [${Array(9).fill(`*${previous}`).join(',')}]\n`;
    }
    const text = `${generateSite(20).yaml}---\n${bomb}`;
    const started = performance.now();
    const stream = parseYamlStream(text);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parseYamlFast(text)).toBeNull();
    expectSameReading(stream, parseYamlPrecisely(text));
    expect(stream.errors).toHaveLength(1);
    expect(stream.errors[0]?.message).toContain(`more than ${MAX_ALIAS_COUNT} alias references`);
  });

  it('reads a design with a repeated key with the yaml package: a warning, and the last value', () => {
    const text = `${generateSite(3).yaml}---\nnetwork: mgmt\naddress: 10.0.0.1\naddress: 10.0.0.2\n`;
    expect(parseYamlFast(text)).toBeNull();
    const stream = parseYamlStream(text);
    expectSameReading(stream, parseYamlPrecisely(text));
    expect(stream.documents.at(-1)?.value).toEqual({ network: 'mgmt', address: '10.0.0.2' });
    expect(stream.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/^Duplicate key 'address' at line \d+, column 1: the last value is used, as Drydock does$/),
    ]);
  });

  it('reads a design with a syntax error with the yaml package, for its line and column', () => {
    const text = `${generateSite(3).yaml}---\nschema: drydock/Rack/v1\ndata: {tor_switches: [1}\n`;
    expect(parseYamlFast(text)).toBeNull();
    const stream = parseYamlStream(text);
    expectSameReading(stream, parseYamlPrecisely(text));
    expect(stream.errors[0]?.message).toMatch(/^Error parsing YAML at line \d+, column \d+: /);
  });

  it('locates keys of a document js-yaml read, as the yaml package does', () => {
    const text = `${generateSite(2).yaml}---\nschema: drydock/HostProfile/v1\ndata:\n  storage:\n    physical_devices:\n      sda: {partitions: [{name: root, size: 20}]}\n`;
    const fast = fastOnly(text);
    const precise = parseYamlPrecisely(text);
    const path = ['data', 'storage', 'physical_devices', 'sda', 'partitions', 0, 'size'];
    expect(fast.documents.at(-1)?.locate(path)).toBe(precise.documents.at(-1)?.locate(path));
    expect(fast.documents.at(-1)?.locate(['data', 'storage', 'missing'])).toBe(text.split('\n').lastIndexOf('  storage:') + 1);
    expect(shape(fast.documents.at(-1)?.value)).toEqual(shape(precise.documents.at(-1)?.value));
  });
});
