import { describe, expect, it } from 'vitest';
import { parseDesign } from '../../../src/design/parse/documents.ts';
import { DesignLimitExceeded } from '../../../src/design/parse/limits.ts';
import { deckhand, legacy, node } from './build.ts';

const names = (text: string, format?: 'yaml' | 'json') => parseDesign(text, format).documents.map((d) => `${d.kind}/${d.name}`);

describe('parseDesign: document formats', () => {
  it('reads Deckhand documents: schema, metadata.name and data', () => {
    const { documents, messages } = parseDesign(deckhand('Network', 'mgmt', { cidr: '10.0.0.0/24' }, { zone: 'az1' }));
    expect(messages).toEqual([]);
    expect(documents).toEqual([
      {
        kind: 'Network',
        name: 'mgmt',
        schema: 'drydock/Network/v1',
        labels: { zone: 'az1' },
        data: { cidr: '10.0.0.0/24' },
        index: 0,
        line: 2,
      },
    ]);
  });

  it('reads legacy documents: apiVersion, kind, metadata.name and spec, under the Deckhand schema name', () => {
    const { documents, messages } = parseDesign(legacy('NetworkLink', 'gp', { mtu: 9000 }));
    expect(messages).toEqual([]);
    expect(documents).toMatchObject([
      { kind: 'NetworkLink', name: 'gp', schema: 'drydock/NetworkLink/v1', labels: {}, data: { mtu: 9000 } },
    ]);
  });

  it('reads both formats in one stream, in document order', () => {
    const text = legacy('Rack', 'r1', {}) + deckhand('Rack', 'r2', {}) + legacy('Rack', 'r3', {});
    expect(names(text)).toEqual(['Rack/r1', 'Rack/r2', 'Rack/r3']);
  });

  it('processes a legacy document without spec as empty, as Drydock does', () => {
    const { documents, messages } = parseDesign('apiVersion: drydock/v1\nkind: Rack\nmetadata:\n  name: r1\n');
    expect(messages).toEqual([]);
    expect(documents[0]?.data).toEqual({});
  });

  it('takes a JSON list of documents', () => {
    const text = JSON.stringify([
      { schema: 'drydock/Network/v1', metadata: { name: 'pxe' }, data: { cidr: '10.1.0.0/24' } },
      { apiVersion: 'drydock/v1', kind: 'Network', metadata: { name: 'mgmt' }, spec: { vlan: '100' } },
      { schema: 'deckhand/CertificateKey/v1', metadata: { name: 'key' }, data: 'secret' },
    ]);
    const { documents, messages } = parseDesign(text, 'json');
    expect(messages).toEqual([]);
    expect(documents.map((d) => [d.name, d.index, d.line, d.data])).toEqual([
      ['pxe', 0, null, { cidr: '10.1.0.0/24' }],
      ['mgmt', 1, null, { vlan: '100' }],
    ]);
  });
});

describe('parseDesign: documents Drydock does not read', () => {
  it('ignores documents of other schemas, as Drydock does', () => {
    const text =
      '---\nschema: deckhand/LayeringPolicy/v1\nmetadata: {name: layering}\ndata: {layerOrder: [site]}\n' +
      '---\nschema: promenade/Genesis/v1\nmetadata: {name: genesis}\ndata: {}\n' +
      '---\napiVersion: promenade/v1\nkind: Genesis\nmetadata: {name: genesis}\nspec: {}\n' +
      '---\nkind: ConfigMap\nmetadata: {name: cm}\n' +
      deckhand('Rack', 'r1', {});
    const { documents, messages } = parseDesign(text);
    expect(messages).toEqual([]);
    expect(documents.map((d) => [d.name, d.index])).toEqual([['r1', 4]]);
  });

  it('skips empty documents', () => {
    const { documents, messages } = parseDesign(`---\n---\n# only a comment\n---\n~\n${deckhand('Rack', 'r1', {})}---\n`);
    expect(messages).toEqual([]);
    expect(documents.map((d) => d.name)).toEqual(['r1']);
  });

  it('reports an unknown drydock kind', () => {
    const { documents, messages } = parseDesign(deckhand('Frobnicator', 'x', {}) + deckhand('Rack', 'r1', {}));
    expect(documents.map((d) => d.name)).toEqual(['r1']);
    expect(messages).toEqual([
      {
        kind: 'ValidationMessage',
        name: 'DD000',
        level: 'Error',
        error: true,
        message: 'Invalid document - Kind Frobnicator and Version v1 in document 1 (line 2)',
        documents: [{ schema: 'drydock/Frobnicator/v1', name: 'x' }],
        diagnostic: expect.stringContaining('Region, Rack, NetworkLink'),
      },
    ]);
  });

  it('reports a drydock schema of another version or shape', () => {
    const text =
      '---\nschema: drydock/Rack/v2\nmetadata: {name: r1}\ndata: {}\n' +
      '---\nschema: drydock/Rack\nmetadata: {name: r2}\ndata: {}\n' +
      '---\napiVersion: drydock/v2\nkind: Rack\nmetadata: {name: r3}\nspec: {}\n' +
      '---\napiVersion: drydock/v1\nkind: Frobnicator\nmetadata: {name: r4}\nspec: {}\n';
    const { documents, messages } = parseDesign(text);
    expect(documents).toEqual([]);
    expect(messages.map((m) => [m.name, m.message])).toEqual([
      ['DD000', 'Invalid document - Kind Rack and Version v2 in document 1 (line 2)'],
      ['DD000', "Invalid document schema 'drydock/Rack' in document 2 (line 6): expected drydock/<Kind>/v1"],
      ['DD000', 'Invalid document Kind Rack with apiVersion drydock/v2 in document 3 (line 10)'],
      ['DD000', 'Invalid document Kind Frobnicator with apiVersion drydock/v1 in document 4 (line 15)'],
    ]);
  });

  it('reports a document without metadata.name', () => {
    const text = '---\nschema: drydock/Network/v1\nmetadata: {schema: metadata/Document/v1}\ndata: {}\n';
    const { documents, messages } = parseDesign(text + legacy('Rack', "''", {}) + legacy('Rack', '0755', {}));
    expect(documents).toEqual([]);
    expect(messages.map((m) => [m.message, m.documents])).toEqual([
      ['The drydock/Network/v1 document 1 (line 2) has no metadata.name', [{ schema: 'drydock/Network/v1', name: 'Unknown' }]],
      ['The drydock/Rack/v1 document 2 (line 6) has no metadata.name', [{ schema: 'drydock/Rack/v1', name: 'Unknown' }]],
      ['The metadata.name of the drydock/Rack/v1 document 3 (line 12) is 493, not a string', [{ schema: 'drydock/Rack/v1', name: 'Unknown' }]],
    ]);
  });

  it('reports a document that is not a mapping, saying what it is without quoting it', () => {
    const { messages } = parseDesign('---\n- schema: drydock/Rack/v1\n---\njust text\n');
    expect(messages.map((m) => m.message)).toEqual([
      'Document 1 (line 2) is a list, not a mapping',
      'Document 2 (line 4) is a string, not a mapping',
    ]);
  });

  it('reports duplicate names within a kind, naming both documents, and keeps the first', () => {
    const text = deckhand('Network', 'mgmt', { cidr: '10.0.0.0/24' }) + deckhand('NetworkLink', 'mgmt', {}) + legacy('Network', 'mgmt', { cidr: '10.9.0.0/24' });
    const { documents, messages } = parseDesign(text);
    expect(documents.map((d) => [d.kind, d.index])).toEqual([['Network', 0], ['NetworkLink', 1]]);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      name: 'DD000',
      error: true,
      message: "Duplicate Network name 'mgmt': first in document 1 (line 2), again in document 3 (line 14)",
      documents: [
        { schema: 'drydock/Network/v1', name: 'mgmt' },
        { schema: 'drydock/Network/v1', name: 'mgmt' },
      ],
    });
  });
});

describe('parseDesign: syntax', () => {
  it('reports a YAML syntax error with its line and column, separately from other problems', () => {
    const text = `${deckhand('Rack', 'r1', {})}---\nschema: drydock/Rack/v1\nmetadata:\n  name: r2\ndata: {tor_switches: [1}\n`;
    const { documents, messages, syntaxErrors } = parseDesign(text);
    expect(documents.map((d) => d.name)).toEqual(['r1']);
    expect(syntaxErrors).toHaveLength(messages.length);
    expect(syntaxErrors[0]).toMatchObject({
      name: 'DD000',
      error: true,
      message: expect.stringMatching(/^Error parsing YAML at line 11, column \d+: /),
      diagnostic: expect.stringMatching(/^Fix the YAML syntax at line 11, column \d+$/),
    });
  });

  it('does not count document problems as syntax errors', () => {
    const { messages, syntaxErrors } = parseDesign(deckhand('Frobnicator', 'x', {}) + deckhand('Rack', 'r', { foo: 1 }));
    expect(messages).toHaveLength(2);
    expect(syntaxErrors).toEqual([]);
  });

  it('reports a JSON syntax error', () => {
    const { documents, syntaxErrors } = parseDesign('[{"schema": "drydock/Rack/v1",]', 'json');
    expect(documents).toEqual([]);
    expect(syntaxErrors[0]?.message).toMatch(/^Error parsing JSON/);
  });

  it('warns about a repeated key but reads the document with the last value', () => {
    const text = '---\nschema: drydock/Network/v1\nmetadata: {name: mgmt}\ndata:\n  vlan: "100"\n  vlan: "101"\n';
    const { documents, messages } = parseDesign(text);
    expect(documents[0]?.data).toEqual({ vlan: '101' });
    expect(messages.map((m) => [m.level, m.error])).toEqual([['Warning', false]]);
  });
});

describe('parseDesign: schema errors', () => {
  it('reports every schema problem of every document, each as DD001 with its path and line', () => {
    const text =
      node('n1', { foo: 1, bar: 2, storage: { physical_devices: { sda: { partitions: [{ name: 'root', size: 20 }] } } } }) +
      deckhand('Network', 'mgmt', { cidr: 10 });
    const { documents, messages } = parseDesign(text);
    expect(documents).toEqual([]);
    expect(messages.map((m) => m.message)).toEqual([
      "Schema validation error in drydock/BaremetalNode/v1 'n1' at data.storage.physical_devices.sda.partitions[0].size: 20 is not of type 'string'",
      "Schema validation error in drydock/BaremetalNode/v1 'n1' at data.foo: Additional properties are not allowed ('foo' was unexpected)",
      "Schema validation error in drydock/BaremetalNode/v1 'n1' at data.bar: Additional properties are not allowed ('bar' was unexpected)",
      "Schema validation error in drydock/Network/v1 'mgmt' at data.cidr: 10 is not of type 'string'",
    ]);
    expect(messages[0]).toEqual({
      kind: 'ValidationMessage',
      name: 'DD001',
      level: 'Error',
      error: true,
      message: expect.any(String),
      documents: [{ schema: 'drydock/BaremetalNode/v1', name: 'n1' }],
      diagnostic: 'Invalid input file (line 6) - see Drydock Troubleshooting Guide for DD001',
    });
  });

  it('points a diagnostic at the line of the offending key', () => {
    const text = [
      '---',
      'schema: drydock/HostProfile/v1',
      'metadata: {name: base}',
      'data:',
      '  storage:',
      '    physical_devices:',
      '      sda:',
      '        partitions:',
      '          - name: root',
      '            size: 20',
      '',
    ].join('\n');
    const [message] = parseDesign(text).messages;
    expect(message?.message).toContain('at data.storage.physical_devices.sda.partitions[0].size');
    expect(message?.diagnostic).toContain('(line 10)');
  });

  it('names the spec path for legacy documents', () => {
    const { messages } = parseDesign(legacy('Network', 'mgmt', { vlan: 100 }));
    expect(messages[0]?.message).toBe("Schema validation error in drydock/Network/v1 'mgmt' at spec.vlan: 100 is not of type 'string'");
  });

  it('requires a Deckhand document to have data, as Drydock does', () => {
    const { messages } = parseDesign('---\nschema: drydock/Rack/v1\nmetadata: {name: r1}\n---\nschema: drydock/Rack/v1\nmetadata: {name: r2}\ndata:\n');
    expect(messages.map((m) => m.message)).toEqual([
      "Schema validation error in drydock/Rack/v1 'r1' at data: 'data' is a required property",
      "Schema validation error in drydock/Rack/v1 'r2' at data: null is not of type 'object'",
    ]);
  });

  it('quotes keys that are not identifiers in paths', () => {
    const { messages } = parseDesign(deckhand('HostProfile', 'p', { interfaces: { '!pxe': null } }));
    expect(messages[0]?.message).toContain('at data.interfaces["!pxe"]: null is not of type \'object\'');
  });
});

describe('parseDesign: labels', () => {
  it('keeps metadata labels, turning numbers and booleans into strings and warning about the rest', () => {
    const text = '---\nschema: drydock/Rack/v1\nmetadata:\n  name: r1\n  labels: {zone: az1, row: 4, lit: true, odd: [1]}\ndata: {}\n';
    const { documents, messages } = parseDesign(text);
    expect(documents[0]?.labels).toEqual({ zone: 'az1', row: '4', lit: 'true' });
    expect(messages.map((m) => [m.level, m.message])).toEqual([
      ['Warning', "Label 'odd' of drydock/Rack/v1 'r1' is [...], not a string; ignored"],
    ]);
  });
});

describe('parseDesign: limits', () => {
  // Each of these aborted V8 (the whole process) or took seconds before the pre-scan.
  it.each([
    ['50,000 nested [ (V8 aborted)', `a: ${'['.repeat(50_000)}${']'.repeat(50_000)}`, 'DESIGN_MAX_DEPTH'],
    ['a 5,000-level block sequence', Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}- a:`).join('\n'), 'DESIGN_MAX_DEPTH'],
    ['a JSON list nested 50,000 deep', `${'['.repeat(50_000)}${']'.repeat(50_000)}`, 'DESIGN_MAX_DEPTH'],
    ['20,000 aliases of one list', `a: &a [1, 2, 3]\nb:\n${'- *a\n'.repeat(20_000)}`, 'DESIGN_MAX_ALIASES'],
  ])('refuses %s before parsing, naming its setting', (_name, text, setting) => {
    const format = text.startsWith('[') ? 'json' : 'yaml';
    expect(() => parseDesign(text, format)).toThrow(DesignLimitExceeded);
    expect(() => parseDesign(text, format)).toThrow(setting);
  });

  it('stops at a deadline between documents', () => {
    let calls = 0;
    const deadline = () => {
      calls += 1;
      if (calls > 2) throw new DesignLimitExceeded('time', 'too slow');
    };
    const text = Array.from({ length: 5 }, (_, i) => deckhand('Rack', `r${i}`, {})).join('');
    expect(() => parseDesign(text, 'yaml', { deadline })).toThrow('too slow');
  });
});
