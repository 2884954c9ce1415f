import { describe, expect, it } from 'vitest';
import { cachedTemplateCount, parseTemplate, renderTemplate } from '../../../src/template/engine.ts';
import { templateContext } from '../../../src/bootaction/render/index.ts';
import { ACTION_ID, ACTION_KEY, DESIGN_REF, labSite, REPORT_URL } from './fixtures.ts';

const { site, node } = labSite();
const ctx = templateContext({ site, node, actionId: ACTION_ID, actionKey: ACTION_KEY, reportUrl: REPORT_URL, designRef: DESIGN_REF });
const render = (text: string, context: object = ctx) => renderTemplate(text, context);
const syntaxError = (text: string): string => {
  try {
    parseTemplate(text);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`expected a syntax error in ${text}`);
};

describe('Jinja2-style templates of the kind Drydock documents', () => {
  it('renders a signalling script with the action id, key and report URL', () => {
    const script = [
      '#!/bin/bash',
      'curl -sf -X POST -H "X-Bootaction-Key: {{ action.action_key }}" \\',
      '  -H "Content-Type: application/json" \\',
      `  -d '{"status": "Success", "details": [{"message": "{{ node.hostname }} is up", "error": false}]}' \\`,
      '  "{{ action.report_url }}{{ action.action_id }}/"',
      '',
    ].join('\n');
    expect(render(script)).toBe(
      [
        '#!/bin/bash',
        `curl -sf -X POST -H "X-Bootaction-Key: ${ACTION_KEY}" \\`,
        '  -H "Content-Type: application/json" \\',
        `  -d '{"status": "Success", "details": [{"message": "compute01 is up", "error": false}]}' \\`,
        `  "${REPORT_URL}${ACTION_ID}/"`,
        '',
      ].join('\n'),
    );
  });

  it('renders network facts per network and for the default network', () => {
    const text =
      'IPADDR={{ node.network.storage.ip }}\nSUBNET={{ node.network.storage.cidr }}\n' +
      '{{ node.network.default.ip }} {{ node.hostname }}.{{ node.domain }} {{ node.hostname }}\n' +
      'search {{ node.network.default.dns_suffix }}\n';
    expect(render(text)).toBe(
      'IPADDR=172.16.2.21\nSUBNET=172.16.2.0/24\n' +
        '172.16.1.21 compute01.mgmt.sitename.example.com compute01\n' +
        'search mgmt.sitename.example.com\n',
    );
  });

  it('loops over tags and tests labels with if/else', () => {
    const text =
      '{% for tag in node.tags %}tag={{ tag }}\n{% endfor %}' +
      "{% if node.labels.role == 'worker' and node.labels.rack %}worker in {{ node.labels['rack'] }}{% else %}other{% endif %}\n";
    expect(render(text)).toBe('tag=compute\ntag=gpu\nworker in rack1\n');
  });

  it('trims whitespace with {%- -%} as Jinja2 does', () => {
    expect(render('a\n  {%- if node.hostname -%}\n  b\n  {%- endif %}\nc')).toBe('ab\nc');
  });

  it('urlencodes the design ref for a query string', () => {
    expect(render('{{ action.report_url }}?ref={{ action.design_ref | urlencode }}')).toBe(
      `${REPORT_URL}?ref=deckhand%2Bhttp%3A//deckhand-int.ucp%3A9000/api/v1.0/revisions/4/rendered-documents`,
    );
  });

  it('leaves {% raw %} blocks alone, as Jinja2', () => {
    expect(render('{% raw %}{{ node.hostname }}{% endraw %}')).toBe('{{ node.hostname }}');
  });
});

describe('output, byte for byte', () => {
  it("keeps a trailing newline (Drydock's Jinja2 dropped it: keep_trailing_newline was off)", () => {
    expect(render('{{ node.hostname }}\n')).toBe('compute01\n');
    expect(render('x\n\n')).toBe('x\n\n');
  });

  it('keeps CRLF line ends (Jinja2 rewrote them to LF)', () => {
    expect(render('a\r\n{{ node.hostname }}\r\n')).toBe('a\r\ncompute01\r\n');
  });

  it('renders an undefined variable, or an attribute of one, as nothing', () => {
    expect(render('[{{ nothing }}][{{ node.nothing }}][{{ node.network.nowhere.ip }}][{{ node.interfaces.eno1.vf_count }}]')).toBe(
      '[][][][]',
    );
  });

  it("prints values as Python's str(): True, False, None, lists and dicts", () => {
    expect(render('{{ node.interfaces.bond0.sriov }} {{ node.interfaces.bond0.trustedmode }} {{ node.interfaces.eno1.sriov }}')).toBe(
      'True False False',
    );
    expect(render('{{ node.tags }} {{ node.labels }}')).toBe("['compute', 'gpu'] {'rack': 'rack1', 'role': 'worker'}");
    expect(render('{{ x }}|{{ n }}|{{ q }}', { x: null, n: 2, q: ["it's", 'a"b\'c', '\t\u0001'] })).toBe(
      `None|2|["it's", 'a"b\\'c', '\\t\\x01']`,
    );
  });

  it("treats '' and 0 as false in conditions, as Python", () => {
    expect(render('{% if e %}T{% else %}F{% endif %}{% if z %}T{% else %}F{% endif %}', { e: '', z: 0 })).toBe('FF');
  });

  it('does not reach object prototypes', () => {
    expect(render('[{{ node.constructor }}][{{ node.tags.constructor.name }}][{{ node.__proto__ }}]')).toBe('[][][]');
  });
});

describe('the urlencode filter (Jinja2)', () => {
  const enc = (value: unknown) => render('{{ v | urlencode }}', { v: value });

  it('percent-encodes UTF-8 and leaves A-Z a-z 0-9 _ . - ~ and / unescaped', () => {
    expect(enc("a b/ü~_.-!*'()&=?#%+")).toBe('a%20b/%C3%BC~_.-%21%2A%27%28%29%26%3D%3F%23%25%2B');
    expect(enc('\u{1F680}')).toBe('%F0%9F%9A%80');
  });

  it("encodes scalars through Python's str()", () => {
    expect([enc(12), enc(true), enc(null)]).toEqual(['12', 'True', 'None']);
  });

  it('renders an undefined value as nothing', () => {
    expect(render('[{{ missing | urlencode }}]')).toBe('[]');
  });

  it('turns a mapping or a list of pairs into a query string, with / encoded and spaces as +', () => {
    expect(enc({ 'a b': 'c/d', n: null })).toBe('a+b=c%2Fd&n=None');
    expect(enc([['k', 'v w'], ['x', 1]])).toBe('k=v+w&x=1');
  });

  it('refuses a list that is not of pairs', () => {
    expect(() => enc(['abc'])).toThrow(/urlencode: a list must hold \(key, value\) pairs/);
  });
});

describe('syntax', () => {
  it('refuses an unknown filter when parsing, as Jinja2', () => {
    expect(syntaxError('{{ node.hostname | upper }}')).toMatch(/undefined filter: upper, line:1, col:1/);
  });

  it('refuses Jinja2 filter-call and statement syntax', () => {
    expect(syntaxError("{{ node.tags | join(',') }}")).toMatch(/expected ":" after filter name/);
    expect(syntaxError('{% set x = 1 %}')).toMatch(/tag "set" not found/);
    expect(syntaxError('{% if a %}1{% elif b %}2{% endif %}')).toMatch(/tag "elif" not found/);
    expect(syntaxError("{{ node.hostname ~ '.lab' }}")).toMatch(/expected "\|" before filter/);
  });

  it('refuses expressions LiquidJS would only partly read (Jinja2 if/else, in, is)', () => {
    expect(syntaxError("{{ node.hostname if node.domain else 'x' }}")).toMatch(
      /"node.hostname if node.domain else 'x'" is not a whole Liquid expression .*line:1, col:1/,
    );
    expect(syntaxError("line\n{% if 'gpu' in node.tags %}x{% endif %}")).toMatch(/"'gpu' in node.tags" is not .*line:2, col:1/);
    expect(syntaxError('{% if node.domain is defined %}x{% endif %}')).toMatch(/is not a whole Liquid expression/);
    expect(syntaxError('{% if a == 1 or %}x{% endif %}')).toMatch(/is not a whole Liquid expression/);
  });

  it('accepts whole Liquid expressions: operators, not, grouping, contains, filters', () => {
    const text =
      "{% if not node.nothing and (node.hostname == 'compute01' or false) %}a{% endif %}" +
      "{% unless node.tags contains 'storage' %}b{% endunless %}{{ node.hostname | append: '.lab' | upcase }}" +
      '{% comment %}{{ anything if at all }}{% endcomment %}';
    expect(render(text)).toBe('abCOMPUTE01.LAB');
  });

  it('refuses include, render and layout: templates never read files', () => {
    for (const tag of ['include', 'render', 'layout']) {
      expect(syntaxError(`{% ${tag} '/etc/passwd' %}`)).toMatch(new RegExp(`the ${tag} tag is not available in boot action templates`));
    }
  });

  it('stops a template that allocates without bound', () => {
    expect(() => render('{% for i in (1..100000000) %}{{ i }}{% endfor %}')).toThrow(/limit exceeded/);
  });
});

describe('the parsed-template cache', () => {
  it('parses each template text once', () => {
    const text = `{{ node.hostname }} cache-probe ${Math.random()}`;
    const before = cachedTemplateCount();
    expect(parseTemplate(text)).toBe(parseTemplate(text));
    expect(cachedTemplateCount()).toBe(Math.min(before + 1, 256));
  });

  it('keeps at most 4 MiB of template text, and never a text over 256 KiB', () => {
    const filler = 'x'.repeat(256 * 1024 - 16);
    for (let i = 0; i < 20; i++) parseTemplate(`${i.toString().padStart(8)}${filler}`);
    expect(cachedTemplateCount()).toBeLessThanOrEqual(16);
    const before = cachedTemplateCount();
    parseTemplate(`${filler}${'y'.repeat(64)}`);
    expect(cachedTemplateCount()).toBe(before);
  });
});
