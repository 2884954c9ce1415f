/**
 * Evaluates a parsed rule with oslo.policy's semantics (oslo_policy/_checks.py):
 *
 * - `role:x`    true when x (after `%(key)s` substitution from the target)
 *               equals one of the caller's roles, case-insensitively;
 * - `rule:name` the named rule; an unknown name, or a reference back into a
 *               rule already being evaluated (a cycle), is false;
 * - `kind:match` a generic check: substitute the target into match (a missing
 *               key is false); compare to kind when kind is a literal
 *               ('member', 1, True), else to the value at the dotted path
 *               `kind` in the credentials (missing is false; a list matches
 *               when any element does), compared as Python's str() would.
 *
 * One deliberate difference: null/undefined count as missing, where oslo
 * would substitute or compare the string "None".
 */
import type { PolicyNode, Template } from './parser.ts';

export type PolicyValues = Readonly<Record<string, unknown>>;

export interface EvaluationContext {
  /** The caller's policy view (user_id, project_id, roles, ...). */
  readonly creds: PolicyValues;
  /** What is being acted on; supplies `%(key)s` substitutions. */
  readonly target: PolicyValues;
  /** Every rule by name, for `rule:` references. */
  readonly rules: ReadonlyMap<string, PolicyNode>;
}

/** Deepest chain of `rule:` references followed before giving up (false). */
export const MAX_RULE_DEPTH = 64;

export function evaluate(node: PolicyNode, ctx: EvaluationContext): boolean {
  return new Evaluation(ctx).check(node);
}

class Evaluation {
  private readonly active = new Set<string>();
  /** Results per rule name within this one evaluation: a chain of rules reused many times stays linear. */
  private readonly done = new Map<string, boolean>();
  constructor(private readonly ctx: EvaluationContext) {}

  check(node: PolicyNode): boolean {
    switch (node.type) {
      case 'true': return true;
      case 'false': return false;
      case 'not': return !this.check(node.rule);
      case 'and': return node.rules.every((r) => this.check(r));
      case 'or': return node.rules.some((r) => this.check(r));
      case 'rule': return this.rule(node.name);
      case 'role': {
        const match = substitute(node.match, this.ctx.target);
        if (match === undefined) return false;
        const roles = this.ctx.creds['roles'];
        if (!Array.isArray(roles)) return false;
        const wanted = match.toLowerCase();
        return roles.some((r) => typeof r === 'string' && r.toLowerCase() === wanted);
      }
      case 'generic': {
        const match = substitute(node.match, this.ctx.target);
        if (match === undefined) return false;
        if (node.literal !== undefined) return node.literal === match;
        return findIn(this.ctx.creds, node.path, 0, match);
      }
    }
  }

  private rule(name: string): boolean {
    const known = this.done.get(name);
    if (known !== undefined) return known;
    const node = this.ctx.rules.get(name);
    if (node === undefined || this.active.has(name) || this.active.size >= MAX_RULE_DEPTH) return false;
    this.active.add(name);
    try {
      const result = this.check(node);
      this.done.set(name, result);
      return result;
    } finally {
      this.active.delete(name);
    }
  }
}

/** Python str() of a value, for the types JSON and our views carry. */
export function pyStr(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value) ?? String(value);
}

function own(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return undefined;
  return Object.hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** `%(key)s` from the target: the literal key first (oslo's flat targets), then a dotted path. */
function lookupTarget(target: PolicyValues, key: string): unknown {
  const direct = own(target, key);
  if (direct !== undefined || !key.includes('.')) return direct;
  let value: unknown = target;
  for (const part of key.split('.')) {
    value = own(value, part);
    if (value === undefined) return undefined;
  }
  return value;
}

function substitute(template: Template, target: PolicyValues): string | undefined {
  let out = '';
  for (const part of template) {
    if (typeof part === 'string') {
      out += part;
      continue;
    }
    const value = lookupTarget(target, part.key);
    if (value === undefined || value === null) return undefined;
    out += pyStr(value);
  }
  return out;
}

/** oslo's GenericCheck._find_in_dict: walk the path, fanning out over lists. */
function findIn(value: unknown, path: readonly string[], at: number, match: string): boolean {
  if (at === path.length) return value !== null && value !== undefined && match === pyStr(value);
  const next = own(value, path[at]!);
  if (next === undefined || next === null) return false;
  if (Array.isArray(next)) return next.some((v) => findIn(v, path, at + 1, match));
  return findIn(next, path, at + 1, match);
}
