/**
 * The policy enforcer: Drydock's defaults plus operator overrides, all parsed
 * once at creation so a broken override stops start-up with a PolicyError
 * naming the rule rather than failing a request later.
 */
import type { Principal } from '../principal.ts';
import { POLICY_DEFAULTS } from './defaults.ts';
import { evaluate } from './evaluate.ts';
import type { PolicyValues } from './evaluate.ts';
import { PolicyError, formatRule, parseRule } from './parser.ts';
import type { PolicyNode } from './parser.ts';

export type PolicyRuleText = string | string[][];

export interface PolicyEnforcer {
  /**
   * Whether `principal` may act under the registered rule `rule`. The target
   * defaults to the principal's own project and user, as Drydock passes.
   * Throws a PolicyError for a rule name that is not registered.
   */
  authorize(rule: string, principal: Principal, target?: Record<string, unknown>): boolean;
  /** The effective rules (defaults with overrides applied) as rule strings. */
  rules(): Record<string, string>;
}

/**
 * The credentials oslo.policy sees: Drydock's `to_policy_view()` plus
 * `is_admin` (1 for the AUTH_MODE=none global admin, else 0, so the default
 * `is_admin:1` check in admin_required matches it).
 */
export function policyCreds(principal: Principal): PolicyValues {
  return {
    user_id: principal.userId,
    user_domain_id: principal.userDomainId,
    project_id: principal.projectId,
    project_domain_id: principal.projectDomainId,
    roles: principal.roles,
    is_admin_project: principal.isAdminProject,
    is_admin: principal.isAdmin ? 1 : 0,
  };
}

/** Drydock's default target: the caller's own project and user. */
export function defaultTarget(principal: Principal): PolicyValues {
  return { project_id: principal.projectId, user_id: principal.userId };
}

export function createPolicyEnforcer(overrides: Record<string, PolicyRuleText> = {}): PolicyEnforcer {
  const parsed = new Map<string, PolicyNode>();
  const texts = new Map<string, string>();
  const registered = new Set<string>();
  for (const d of POLICY_DEFAULTS) {
    registered.add(d.name);
    parsed.set(d.name, parseRule(d.name, d.rule));
    texts.set(d.name, d.rule);
  }
  for (const name of Object.keys(overrides)) {
    const rule = overrides[name]!;
    const node = parseRule(name, rule);
    parsed.set(name, node);
    texts.set(name, typeof rule === 'string' ? rule : formatRule(node));
  }

  return {
    authorize(rule, principal, target) {
      if (!registered.has(rule)) throw new PolicyError('is not a registered policy rule', rule);
      const node = parsed.get(rule)!;
      return evaluate(node, {
        creds: policyCreds(principal),
        target: target ?? defaultTarget(principal),
        rules: parsed,
      });
    },
    rules() {
      return Object.fromEntries(texts);
    },
  };
}
