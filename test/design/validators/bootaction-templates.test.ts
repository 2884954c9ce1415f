import { describe, expect, it } from 'vitest';
import type { BootActionAsset } from '../../../src/design/model.ts';
import { bootactionTemplates } from '../../../src/design/validators/bootaction-templates.ts';
import { RULES } from '../../../src/design/validators/index.ts';
import { executeRule } from '../../../src/design/validators/rule.ts';
import { makeAsset, makeBootAction, siteOf } from '../../helpers/site-model.ts';

const ctx = { platforms: { images: {} } };
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const asset = (over: Partial<BootActionAsset>): BootActionAsset => makeAsset({ path: '/var/tmp/x', ...over });
const run = (...assets: BootActionAsset[]) =>
  executeRule(bootactionTemplates, siteOf({ bootActions: [makeBootAction('hello', { assets })] }), ctx);
const levels = (...assets: BootActionAsset[]) => run(...assets).map((m) => m.level);

describe('Bootaction Template Syntax (DD4011)', () => {
  it('is registered as DD4011, Bootaction Template Syntax', () => {
    expect([bootactionTemplates.code, bootactionTemplates.longName]).toEqual(['DD4011', 'Bootaction Template Syntax']);
    expect(RULES).toContain(bootactionTemplates);
  });

  it('passes valid templates, behind base64_decode and utf8_decode too, and assets without templates', () => {
    expect(
      levels(
        asset({ data: '{{ node.hostname }}\n', dataPipeline: ['utf8_decode', 'template'] }),
        asset({ data: b64('{% for t in node.tags %}{{ t | urlencode }}{% endfor %}'), dataPipeline: ['base64_decode', 'utf8_decode', 'template'] }),
        asset({ data: '{{ not a template', dataPipeline: [] }),
        asset({ location: 'http://repo/{{ node.hostname }}', locationPipeline: ['template'] }),
      ),
    ).toEqual(['Info']);
  });

  it('reports a syntax error in inline data with the action, asset, line and column', () => {
    const [message, ...rest] = run(asset({ path: '/etc/motd', data: 'Welcome\n{{ node.hostname ', dataPipeline: ['utf8_decode', 'template'] }));
    expect(rest).toEqual([]);
    expect(message).toMatchObject({ name: 'DD4011', level: 'Error', error: true, documents: [{ schema: 'drydock/BootAction/v1', name: 'hello' }] });
    expect(message?.message).toMatch(
      /^Bootaction Template Syntax: Boot action hello asset \/etc\/motd: data_pipeline template syntax error: .*not closed, line:2, col:1$/,
    );
    expect(message?.diagnostic).toMatch(/docs\/templates\.md/);
  });

  it('finds an error inside base64 data, and in a template reached without utf8_decode', () => {
    expect(run(asset({ data: b64('{% if x %}'), dataPipeline: ['base64_decode', 'template'] }))[0]?.message).toMatch(/not closed/);
  });

  it('reports Jinja2-only syntax: filter calls, unknown filters, statements, conditional expressions', () => {
    for (const data of ["{{ x | default('y') }}", '{{ x | upper }}', '{% set x = 1 %}', "{{ a if b else 'c' }}", "{% if 'a' in node.tags %}{% endif %}"]) {
      expect(levels(asset({ data, dataPipeline: ['template'] })), data).toEqual(['Error']);
    }
  });

  it('reports a templated location that does not parse, for any asset type', () => {
    const message = run(asset({ type: 'pkg_list', path: null, location: 'http://repo/{{ node.hostname', locationPipeline: ['template'] }))[0];
    expect(message?.level).toBe('Error');
    expect(message?.message).toMatch(/asset #1: location_pipeline template syntax error/);
  });

  it('reports data that the segments before the template cannot decode', () => {
    const bad = run(asset({ data: 'YWJjZ', dataPipeline: ['base64_decode', 'utf8_decode', 'template'] }))[0];
    expect(bad?.message).toMatch(/data_pipeline segment base64_decode failed: invalid base64/);
    const notUtf8 = run(asset({ data: '/w==', dataPipeline: ['base64_decode', 'template'] }))[0];
    expect(notUtf8?.message).toMatch(/data_pipeline segment template failed: the data is not valid UTF-8/);
    // Static whether or not a template follows: every node would get the same error.
    expect(levels(asset({ data: 'YWJjZA', dataPipeline: ['base64_decode'] }))).toEqual(['Error']);
  });

  it('leaves what depends on the node to render time, and unknown segments to the schema', () => {
    expect(
      levels(
        asset({ data: '{{ node.hostname }}', dataPipeline: ['template', 'base64_decode'] }),
        asset({ data: '{{ broken', dataPipeline: ['gzip', 'template'] }),
        asset({ data: '{{ broken', location: 'http://repo/x', dataPipeline: ['template'] }),
      ),
    ).toEqual(['Info']);
  });

  it('warns about Jinja2 comments and loop variables, which Liquid reads differently', () => {
    const messages = run(asset({ data: '{# note #}{% for t in node.tags %}{{ loop.index }}{% endfor %}', dataPipeline: ['template'] }));
    expect(messages.map((m) => m.level)).toEqual(['Warning', 'Warning', 'Info']);
    expect(messages[0]?.message).toMatch(/Jinja2 comment/);
    expect(messages[1]?.message).toMatch(/forloop/);
  });
});
