import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/auth/policy/evaluate.ts';
import { MAX_NESTING, PolicyError, formatRule, parseRule } from '../../src/auth/policy/parser.ts';
import type { PolicyNode } from '../../src/auth/policy/parser.ts';

const baseCreds = {
  user_id: 'u-1',
  project_id: 'p-1',
  roles: ['Member', 'reader'],
  is_admin_project: true,
  is_admin: 0,
  groups: [{ id: 'g1' }, { id: 'g2' }],
};

function check(
  rule: string | string[][],
  opts: { creds?: Record<string, unknown>; target?: Record<string, unknown>; rules?: Record<string, string> } = {},
): boolean {
  const rules = new Map<string, PolicyNode>();
  for (const [name, text] of Object.entries(opts.rules ?? {})) rules.set(name, parseRule(name, text));
  return evaluate(parseRule('test', rule), {
    creds: opts.creds ?? baseCreds,
    target: opts.target ?? { project_id: 'p-1', user_id: 'u-1' },
    rules,
  });
}

describe('policy language: constants and logic', () => {
  it('allows everyone for "@" and the empty rule, and no one for "!"', () => {
    expect(check('@')).toBe(true);
    expect(check('')).toBe(true);
    expect(check('!')).toBe(false);
  });

  it('binds "and" tighter than "or"', () => {
    expect(check('@ or ! and !')).toBe(true);
    expect(check('! and ! or @')).toBe(true);
    expect(check('! and @ or !')).toBe(false);
  });

  it('lets parentheses override precedence', () => {
    expect(check('(@ or !) and !')).toBe(false);
    expect(check('((@))')).toBe(true);
    expect(check('( @ or ! ) and ( ! or @ )')).toBe(true);
  });

  it('binds "not" tighter than "and"', () => {
    expect(check('not ! and @')).toBe(true);
    expect(check('not @ and @')).toBe(false);
    expect(check('not (@ and !)')).toBe(true);
    expect(check('not not @')).toBe(true);
  });

  it('reads keywords in any case', () => {
    expect(check('! OR @')).toBe(true);
    expect(check('@ And NOT !')).toBe(true);
  });

  it('renders a parsed rule the way oslo prints it', () => {
    expect(formatRule(parseRule('r', 'role:a or role:b and not role:c'))).toBe('(role:a or (role:b and not role:c))');
  });
});

describe('policy language: checks', () => {
  it('matches roles case-insensitively', () => {
    expect(check('role:member')).toBe(true);
    expect(check('role:READER')).toBe(true);
    expect(check('role:admin')).toBe(false);
  });

  it('substitutes the target into a role check', () => {
    expect(check('role:%(needed)s', { target: { needed: 'reader' } })).toBe(true);
    expect(check('role:%(needed)s', { target: {} })).toBe(false);
  });

  it('compares credentials to target substitutions', () => {
    expect(check('project_id:%(project_id)s')).toBe(true);
    expect(check('project_id:%(project_id)s', { target: { project_id: 'p-2' } })).toBe(false);
    expect(check('user_id:%(target.user_id)s', { target: { target: { user_id: 'u-1' } } })).toBe(true);
    expect(check('user_id:%(target.user_id)s', { target: { 'target.user_id': 'u-1' } })).toBe(true);
  });

  it('is false when the target lacks a substituted key or the credentials lack the field', () => {
    expect(check('project_id:%(missing)s')).toBe(false);
    expect(check('domain_id:p-1')).toBe(false);
    expect(check('project_id:%(project_id)s', { target: { project_id: null } })).toBe(false);
  });

  it('compares booleans as Python prints them', () => {
    expect(check('is_admin_project:True')).toBe(true);
    expect(check('is_admin_project:true')).toBe(false);
    expect(check('is_admin:1')).toBe(false);
    expect(check('is_admin:1', { creds: { ...baseCreds, is_admin: 1 } })).toBe(true);
  });

  it('compares a literal kind with the substituted match', () => {
    expect(check("'member':%(role.name)s", { target: { role: { name: 'member' } } })).toBe(true);
    expect(check("'member':%(role.name)s", { target: { role: { name: 'admin' } } })).toBe(false);
    expect(check('True:%(user.enabled)s', { target: { user: { enabled: true } } })).toBe(true);
    expect(check('1:%(n)s', { target: { n: 1 } })).toBe(true);
  });

  it('matches a value inside a list of credentials', () => {
    expect(check('roles:reader')).toBe(true);
    expect(check('groups.id:g2')).toBe(true);
    expect(check('groups.id:g3')).toBe(false);
  });

  it('ignores inherited properties when walking credentials', () => {
    expect(check('constructor:x')).toBe(false);
    expect(check('project_id.__proto__:x')).toBe(false);
  });

  it('allows parentheses inside a substitution next to grouping parentheses', () => {
    expect(check('(project_id:%(project_id)s or !)')).toBe(true);
  });
});

describe('policy language: rule references', () => {
  it('evaluates a named rule', () => {
    expect(check('rule:reader', { rules: { reader: 'role:reader' } })).toBe(true);
    expect(check('rule:admin', { rules: { admin: 'role:admin' } })).toBe(false);
  });

  it('is false for an unknown rule', () => {
    expect(check('rule:nope')).toBe(false);
    expect(check('not rule:nope')).toBe(true);
  });

  it('is false for a cycle instead of overflowing the stack', () => {
    expect(check('rule:a', { rules: { a: 'rule:b', b: 'rule:a' } })).toBe(false);
    expect(check('rule:a', { rules: { a: 'rule:a or role:reader' } })).toBe(true);
  });

  it('stays fast on a long chain of rules that each reference the next twice', () => {
    const rules: Record<string, string> = {};
    for (let i = 0; i < 60; i++) rules[`r${i}`] = `rule:r${i + 1} or rule:r${i + 1}`;
    rules['r60'] = '!';
    const start = performance.now();
    expect(check('rule:r0', { rules })).toBe(false);
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe('policy language: list-of-lists', () => {
  it('reads the outer list as OR and inner lists as AND', () => {
    expect(check([['role:reader', 'role:member'], ['role:admin']])).toBe(true);
    expect(check([['role:reader', 'role:admin'], ['role:admin']])).toBe(false);
  });

  it('allows everyone for an empty list and no one for a list of empty lists', () => {
    expect(check([])).toBe(true);
    expect(check([[]])).toBe(false);
  });
});

describe('policy language: errors', () => {
  const bad: [string, RegExp][] = [
    ['role:admin or', /expected a check.*end of rule/],
    ['and role:admin', /expected a check.*"and"/],
    ['(role:admin', /expected "\)"/],
    ['role:admin)', /unbalanced "\)"/],
    ['role:admin role:member', /expected "and", "or" or end of rule/],
    ['admin', /"admin" is not a check/],
    ['"admin"', /quoted string/],
    ['role:', /empty match/],
    [':admin', /empty kind/],
    ['http://example.com/check', /remote http: checks are not supported/],
    ['https://example.com/check', /remote https: checks are not supported/],
    ['project_id:%(project_id)d', /bad substitution/],
    ['   ', /blank/],
  ];
  for (const [rule, message] of bad) {
    it(`rejects ${JSON.stringify(rule)} with an error naming the rule`, () => {
      let caught: unknown;
      try {
        parseRule('physical_provisioner:read_task', rule);
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(PolicyError);
      expect((caught as PolicyError).rule).toBe('physical_provisioner:read_task');
      expect((caught as Error).message).toMatch(/^policy rule "physical_provisioner:read_task": /);
      expect((caught as Error).message).toMatch(message);
    });
  }

  it('accepts nesting up to the limit', () => {
    const rule = '('.repeat(MAX_NESTING) + '@' + ')'.repeat(MAX_NESTING);
    expect(check(rule)).toBe(true);
  });

  it('rejects deep nesting of parentheses quickly', () => {
    const rule = '('.repeat(200_000) + '@' + ')'.repeat(200_000);
    const start = performance.now();
    expect(() => parseRule('deep', rule)).toThrow(/nested deeper than 64/);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('rejects a long run of "not" quickly', () => {
    const rule = 'not '.repeat(100_000) + '@';
    expect(() => parseRule('deep', rule)).toThrow(/nested deeper than 64/);
  });

  it('parses a very long flat rule', () => {
    const rule = Array.from({ length: 20_000 }, (_, i) => `role:r${i}`).join(' or ');
    expect(check(rule + ' or role:reader')).toBe(true);
  });
});
