/**
 * Reads an oslo.policy file (policy.yaml or the older policy.json): a mapping
 * of rule name to rule string, or to the deprecated list-of-lists form.
 * JSON is read as YAML, as oslo does. An empty document means no overrides.
 */
import { parse } from 'yaml';
import { PolicyError } from './parser.ts';

export function parsePolicyDocument(text: string): Record<string, string | string[][]> {
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: 16, mapAsMap: true, uniqueKeys: true, logLevel: 'error' });
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PolicyError(`policy document is not valid YAML or JSON: ${reason}`);
  }
  if (doc === null || doc === undefined) return {};
  if (!(doc instanceof Map)) {
    throw new PolicyError(`policy document must be a mapping of rule name to rule, not ${describe(doc)}`);
  }
  const out: Record<string, string | string[][]> = {};
  for (const [name, rule] of doc) {
    if (typeof name !== 'string') {
      throw new PolicyError(`policy document keys must be rule names (strings), found ${describe(name)}`);
    }
    Object.defineProperty(out, name, { value: ruleValue(name, rule), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function ruleValue(name: string, rule: unknown): string | string[][] {
  if (typeof rule === 'string') return rule;
  if (Array.isArray(rule)) {
    const lists: string[][] = [];
    for (const inner of rule) {
      if (typeof inner === 'string') lists.push([inner]);
      else if (Array.isArray(inner) && inner.every((c) => typeof c === 'string')) lists.push(inner as string[]);
      else throw new PolicyError('must be a rule string or a list of lists of check strings', name);
    }
    return lists;
  }
  throw new PolicyError(`must be a rule string, not ${describe(rule)} (quote it if YAML read it as another type)`, name);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Map) return 'a mapping';
  if (value instanceof Date) return 'a date';
  return `a ${typeof value}`;
}
