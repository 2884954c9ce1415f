/**
 * The oslo.policy rule language, parsed into a small AST.
 *
 *   rule   := or
 *   or     := and ('or' and)*
 *   and    := unary ('and' unary)*
 *   unary  := 'not' unary | '(' or ')' | check
 *   check  := '@' | '!' | kind ':' match
 *
 * Tokens are split on whitespace; parentheses are peeled off the ends of a
 * token, as oslo does, so `%(project_id)s` inside a check is left alone.
 * Keywords are case-insensitive. Nesting (parentheses plus `not`) is capped
 * so hostile input cannot exhaust the stack, here or in evaluation.
 */

export const MAX_NESTING = 64;

/** A rule that cannot be used: bad syntax, an unsupported check, a bad policy file. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  readonly rule: string | undefined;
  constructor(message: string, rule?: string) {
    super(rule === undefined ? message : `policy rule "${rule}": ${message}`);
    this.rule = rule;
  }
}

/** A match string split into literal text and `%(key)s` substitutions. */
export type Template = ReadonlyArray<string | { readonly key: string }>;

export type PolicyNode =
  | { readonly type: 'true' }
  | { readonly type: 'false' }
  | { readonly type: 'not'; readonly rule: PolicyNode }
  | { readonly type: 'and' | 'or'; readonly rules: readonly PolicyNode[] }
  | { readonly type: 'role'; readonly match: Template; readonly text: string }
  | { readonly type: 'rule'; readonly name: string }
  | {
      readonly type: 'generic';
      readonly kind: string;
      /** Python str() of the kind when it is a literal ('member', 1, True). */
      readonly literal: string | undefined;
      /** Dotted path into the credentials otherwise. */
      readonly path: readonly string[];
      readonly match: Template;
      readonly text: string;
    };

const TRUE: PolicyNode = { type: 'true' };
const FALSE: PolicyNode = { type: 'false' };

/** Parses a text rule or oslo's deprecated list-of-lists form (OR of ANDs). */
export function parseRule(name: string, rule: string | readonly (readonly string[] | string)[]): PolicyNode {
  if (typeof rule === 'string') return parseText(name, rule);
  if (!Array.isArray(rule)) throw new PolicyError('must be a string or a list of lists of strings', name);
  if (rule.length === 0) return TRUE;
  const ors: PolicyNode[] = [];
  for (const inner of rule) {
    const ands = typeof inner === 'string' ? [inner] : inner;
    if (!Array.isArray(ands) || ands.some((c) => typeof c !== 'string')) {
      throw new PolicyError('must be a string or a list of lists of strings', name);
    }
    if (ands.length === 0) continue;
    const checks = ands.map((c) => parseCheck(name, c));
    ors.push(checks.length === 1 ? checks[0]! : { type: 'and', rules: checks });
  }
  if (ors.length === 0) return FALSE;
  return ors.length === 1 ? ors[0]! : { type: 'or', rules: ors };
}

type Token = { t: '(' | ')' | 'and' | 'or' | 'not' } | { t: 'check'; node: PolicyNode; word: string };

function tokenize(name: string, text: string): Token[] {
  const out: Token[] = [];
  let open = 0;
  for (const raw of text.split(/\s+/)) {
    if (raw === '') continue;
    let start = 0;
    let end = raw.length;
    while (start < end && raw[start] === '(') start++;
    while (end > start && raw[end - 1] === ')') end--;
    // Fail fast on hostile nesting; the parser enforces the exact limit.
    open += start;
    if (open > MAX_NESTING) throw nestingError(name);
    open = Math.max(0, open - (raw.length - end));
    for (let i = 0; i < start; i++) out.push({ t: '(' });
    const word = raw.slice(start, end);
    if (word !== '') {
      const lowered = word.toLowerCase();
      if (lowered === 'and' || lowered === 'or' || lowered === 'not') out.push({ t: lowered });
      else if (word.length >= 2 && (word[0] === '"' || word[0] === "'") && word.at(-1) === word[0]) {
        throw new PolicyError(`a quoted string (${word}) is not a check; write 'literal':%(key)s`, name);
      } else out.push({ t: 'check', node: parseCheck(name, word), word });
    }
    for (let i = end; i < raw.length; i++) out.push({ t: ')' });
  }
  return out;
}

function nestingError(name: string): PolicyError {
  return new PolicyError(`nested deeper than ${MAX_NESTING} levels of parentheses and "not"`, name);
}

function parseText(name: string, text: string): PolicyNode {
  if (text === '') return TRUE;
  const tokens = tokenize(name, text);
  if (tokens.length === 0) throw new PolicyError('rule is blank (use "" or "@" to allow everyone)', name);
  let pos = 0;
  const describe = (): string => {
    const tok = tokens[pos];
    return tok === undefined ? 'end of rule' : `"${tok.t === 'check' ? tok.word : tok.t}"`;
  };
  const fail = (what: string): never => {
    throw new PolicyError(`${what} at token ${pos + 1}, found ${describe()}`, name);
  };

  const parseBinary = (op: 'or' | 'and', depth: number): PolicyNode => {
    const next = (): PolicyNode => (op === 'or' ? parseBinary('and', depth) : parseUnary(depth));
    const rules = [next()];
    while (tokens[pos]?.t === op) {
      pos++;
      rules.push(next());
    }
    return rules.length === 1 ? rules[0]! : { type: op, rules };
  };
  const parseUnary = (depth: number): PolicyNode => {
    const tok = tokens[pos];
    if (tok?.t === 'check') {
      pos++;
      return tok.node;
    }
    if (tok?.t !== 'not' && tok?.t !== '(') return fail('expected a check, "not" or "("');
    if (depth >= MAX_NESTING) throw nestingError(name);
    pos++;
    if (tok.t === 'not') return { type: 'not', rule: parseUnary(depth + 1) };
    const inner = parseBinary('or', depth + 1);
    if (tokens[pos]?.t !== ')') fail('expected ")"');
    pos++;
    return inner;
  };

  const node = parseBinary('or', 0);
  if (pos < tokens.length) fail(tokens[pos]!.t === ')' ? 'unbalanced ")"' : 'expected "and", "or" or end of rule');
  return node;
}

/** One check: `@`, `!` or `kind:match`. */
export function parseCheck(name: string, text: string): PolicyNode {
  if (text === '@') return TRUE;
  if (text === '!') return FALSE;
  const colon = text.indexOf(':');
  if (colon < 0) throw new PolicyError(`"${text}" is not a check (expected kind:match, "@" or "!")`, name);
  const kind = text.slice(0, colon);
  const match = text.slice(colon + 1);
  if (kind === '' || match === '') throw new PolicyError(`"${text}" has an empty ${kind === '' ? 'kind' : 'match'}`, name);
  if (kind === 'http' || kind === 'https') {
    throw new PolicyError(`remote ${kind}: checks are not supported ("${text}")`, name);
  }
  if (kind === 'rule') return { type: 'rule', name: match };
  const template = parseTemplate(name, match);
  if (kind === 'role') return { type: 'role', match: template, text };
  const literal = literalValue(kind);
  return { type: 'generic', kind, literal, path: literal === undefined ? kind.split('.') : [], match: template, text };
}

/** Python %-formatting against a mapping: `%(key)s` and `%%`; other `%` stays literal. */
function parseTemplate(name: string, match: string): Template {
  const parts: (string | { key: string })[] = [];
  let text = '';
  let i = 0;
  while (i < match.length) {
    const pct = match.indexOf('%', i);
    if (pct < 0) break;
    text += match.slice(i, pct);
    if (match[pct + 1] === '%') {
      text += '%';
      i = pct + 2;
    } else if (match[pct + 1] === '(') {
      const close = match.indexOf(')', pct + 2);
      if (close < 0 || match[close + 1] !== 's') {
        throw new PolicyError(`bad substitution in "${match}" (expected %(key)s)`, name);
      }
      if (text !== '') parts.push(text);
      text = '';
      parts.push({ key: match.slice(pct + 2, close) });
      i = close + 2;
    } else {
      text += '%';
      i = pct + 1;
    }
  }
  text += match.slice(i);
  if (text !== '' || parts.length === 0) parts.push(text);
  return parts;
}

/** Python str(ast.literal_eval(kind)) for the literals oslo policies use, else undefined. */
function literalValue(kind: string): string | undefined {
  const q = kind[0];
  if (kind.length >= 2 && (q === "'" || q === '"') && kind.at(-1) === q) {
    return kind.slice(1, -1).replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
  }
  if (kind === 'True' || kind === 'False' || kind === 'None') return kind;
  if (/^[+-]?\d+$/.test(kind)) return BigInt(kind).toString();
  if (/^[+-]?(\d+\.\d*|\.\d+|\d+(\.\d*)?[eE][+-]?\d+)$/.test(kind)) {
    const n = Number(kind);
    return Number.isInteger(n) && Math.abs(n) < 1e16 ? n.toFixed(1) : String(n);
  }
  return undefined;
}

/** oslo's str() of a parsed rule, for showing the effective policy. */
export function formatRule(node: PolicyNode): string {
  switch (node.type) {
    case 'true': return '@';
    case 'false': return '!';
    case 'not': return `not ${formatRule(node.rule)}`;
    case 'and': case 'or': return `(${node.rules.map(formatRule).join(` ${node.type} `)})`;
    case 'rule': return `rule:${node.name}`;
    default: return node.text;
  }
}
