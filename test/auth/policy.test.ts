import { describe, expect, it } from 'vitest';
import type { Principal } from '../../src/auth/principal.ts';
import { POLICY_DEFAULTS } from '../../src/auth/policy/defaults.ts';
import { createPolicyEnforcer } from '../../src/auth/policy/enforcer.ts';
import { PolicyError } from '../../src/auth/policy/parser.ts';
import { parsePolicyDocument } from '../../src/auth/policy/document.ts';

function principal(over: Partial<Principal> = {}): Principal {
  return {
    user: 'alice',
    userId: 'u-1',
    userDomainId: 'default',
    projectId: 'p-1',
    projectDomainId: 'default',
    roles: [],
    isAdminProject: false,
    isAdmin: false,
    method: 'keystone',
    ...over,
  };
}

const admin = principal({ roles: ['admin'] });
const member = principal({ roles: ['member'] });
const reader = principal({ roles: ['reader'] });
const apiRules = POLICY_DEFAULTS.map((d) => d.name).filter((n) => n.startsWith('physical_provisioner:'));

describe('Drydock default policy', () => {
  const enforcer = createPolicyEnforcer();

  it("registers admin_required, Drydock's sixteen physical_provisioner rules and manage_agents", () => {
    const rules = enforcer.rules();
    expect(rules['admin_required']).toBe('role:admin or is_admin:1');
    expect(apiRules).toHaveLength(17);
    for (const name of apiRules) expect(rules[name]).toBe('role:admin');
    for (const d of POLICY_DEFAULTS) expect(d.description).not.toBe('');
  });

  it('allows an admin every API rule', () => {
    for (const name of apiRules) expect(enforcer.authorize(name, admin)).toBe(true);
  });

  it('denies a member the default deploy_nodes rule', () => {
    expect(enforcer.authorize('physical_provisioner:deploy_nodes', member)).toBe(false);
  });

  it('denies a member every API rule', () => {
    for (const name of apiRules) expect(enforcer.authorize(name, member)).toBe(false);
  });

  it('matches the admin role case-insensitively', () => {
    expect(enforcer.authorize('physical_provisioner:read_data', principal({ roles: ['Admin'] }))).toBe(true);
  });

  it('satisfies admin_required for the global admin through is_admin:1', () => {
    const global = principal({ isAdmin: true, method: 'none', roles: [] });
    expect(enforcer.authorize('admin_required', global)).toBe(true);
    expect(enforcer.authorize('admin_required', member)).toBe(false);
  });

  it('throws when asked about a rule that is not registered', () => {
    expect(() => enforcer.authorize('physical_provisioner:read_tasks', admin)).toThrow(/not a registered/);
  });
});

describe('policy overrides', () => {
  it('lets a reader read tasks once read_task allows reader or admin_required', () => {
    const enforcer = createPolicyEnforcer({
      'physical_provisioner:read_task': 'role:reader or rule:admin_required',
    });
    expect(enforcer.authorize('physical_provisioner:read_task', reader)).toBe(true);
    expect(enforcer.authorize('physical_provisioner:read_task', admin)).toBe(true);
    expect(enforcer.authorize('physical_provisioner:read_task', member)).toBe(false);
    expect(enforcer.authorize('physical_provisioner:create_task', reader)).toBe(false);
  });

  it('accepts extra helper rules referenced by overrides', () => {
    const enforcer = createPolicyEnforcer({
      owner: 'project_id:%(project_id)s',
      'physical_provisioner:read_data': 'rule:owner and role:member',
    });
    expect(enforcer.authorize('physical_provisioner:read_data', member)).toBe(true);
    expect(enforcer.authorize('physical_provisioner:read_data', member, { project_id: 'p-2' })).toBe(false);
  });

  it('accepts the list-of-lists form and reports it as a rule string', () => {
    const enforcer = createPolicyEnforcer({
      'physical_provisioner:read_task': [['role:reader', 'project_id:%(project_id)s'], ['role:admin']],
    });
    expect(enforcer.authorize('physical_provisioner:read_task', reader)).toBe(true);
    expect(enforcer.authorize('physical_provisioner:read_task', reader, { project_id: 'other' })).toBe(false);
    expect(enforcer.rules()['physical_provisioner:read_task']).toBe(
      '((role:reader and project_id:%(project_id)s) or role:admin)',
    );
  });

  it('fails creation with a PolicyError naming a broken override', () => {
    const create = () => createPolicyEnforcer({ 'physical_provisioner:verify_site': 'role:admin or' });
    expect(create).toThrow(PolicyError);
    expect(create).toThrow(/physical_provisioner:verify_site/);
  });

  it('rejects remote http checks in an override', () => {
    expect(() => createPolicyEnforcer({ x: 'http://policy.example/check' })).toThrow(/remote http: checks/);
  });
});

describe('policy documents', () => {
  it('reads a YAML policy file', () => {
    const doc = parsePolicyDocument(
      '# overrides\n"physical_provisioner:read_task": "role:reader or rule:admin_required"\nhelper: [["role:a", "role:b"], "role:c"]\n',
    );
    expect(doc).toEqual({
      'physical_provisioner:read_task': 'role:reader or rule:admin_required',
      helper: [['role:a', 'role:b'], ['role:c']],
    });
  });

  it('reads a JSON policy file', () => {
    expect(parsePolicyDocument('{"admin_required": "role:admin", "open": ""}')).toEqual({
      admin_required: 'role:admin',
      open: '',
    });
  });

  it('treats an empty document as no overrides', () => {
    expect(parsePolicyDocument('')).toEqual({});
    expect(parsePolicyDocument('# nothing here\n')).toEqual({});
  });

  it('rejects a document that is not a mapping', () => {
    expect(() => parsePolicyDocument('- role:admin\n')).toThrow(/must be a mapping/);
    expect(() => parsePolicyDocument('"role:admin"')).toThrow(/must be a mapping/);
  });

  it('rejects a rule that is not a string, naming it', () => {
    expect(() => parsePolicyDocument('read: 12\n')).toThrow(/"read".*must be a rule string/);
    expect(() => parsePolicyDocument('read:\n')).toThrow(/"read".*not null/);
    expect(() => parsePolicyDocument('read: {a: b}\n')).toThrow(PolicyError);
  });

  it('rejects malformed YAML and duplicate rule names', () => {
    expect(() => parsePolicyDocument('a: "unterminated\n')).toThrow(/not valid YAML or JSON/);
    expect(() => parsePolicyDocument('a: x\na: y\n')).toThrow(PolicyError);
  });

  it('rejects an alias bomb', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x"]']
      .concat(Array.from({ length: 8 }, (_, i) => {
        const prev = i === 0 ? 'a' : `b${i - 1}`;
        return `b${i}: &b${i} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`;
      }))
      .join('\n');
    expect(() => parsePolicyDocument(bomb)).toThrow(PolicyError);
  });

  it('keeps a __proto__ rule name as an ordinary key', () => {
    const doc = parsePolicyDocument('__proto__: "role:admin"\n');
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(['__proto__']);
  });
});
