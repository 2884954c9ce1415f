import { FAILSAFE_SCHEMA, Type, type Schema } from 'js-yaml';
import { isScalar, parseDocument, type ScalarTag } from 'yaml';
import { YAML_OPTIONS } from './yaml-precise.ts';

const MERGE = 'tag:yaml.org,2002:merge';
/** The `yaml` package's resolve options that the plain-scalar tags read. */
const RESOLVE_OPTIONS = { intAsBigInt: false };

const refuse = (message: string): never => {
  throw new Error(message);
};

/**
 * A js-yaml schema that resolves plain scalars with the very tags the
 * `yaml` package is given (yaml-tags.ts: PyYAML's resolvers), tried in the
 * same order, and builds the same values (a `Scalar` result is unwrapped, as
 * the package's toJS does). So both readers agree by construction, not by a
 * second copy of the patterns.
 *
 * Most plain scalars of a design are names and addresses that no tag
 * matches; one regular expression joining every tag's test turns them away
 * at once (trying the fifteen tests one by one made the whole parse about
 * three times slower). The types have private names, so an explicit
 * `!!int`/`!!float`/`!!timestamp`/`!!binary`/`!!set`... is an unknown tag to
 * js-yaml, which sends the stream to the `yaml` package. Only `!!str`,
 * `!!seq` and `!!map` (js-yaml's failsafe types) and merge keys are read
 * here. The merge type keeps its real name, which is how js-yaml recognises
 * `<<`, but refuses to be named explicitly (`!!merge`).
 */
export function fastSchema(): Schema {
  cached ??= build();
  return cached;
}

let cached: Schema | undefined;

function build(): Schema {
  const tags = parseDocument('', YAML_OPTIONS).schema.tags as ScalarTag[];
  const plain = tags.filter((tag): tag is ScalarTag & { test: RegExp } => tag.default === true && !!tag.test && !tag.collection);
  const anyTest = joinTests(plain.map((tag) => tag.test));
  const implicit = [
    new Type('tag:drydock-edge,fast:plain', {
      kind: 'scalar',
      resolve: (data: unknown, explicit?: string) => explicit === undefined && typeof data === 'string' && anyTest.test(data),
      construct: (data: string) => {
        const tag = plain.find((candidate) => candidate.test.test(data));
        if (!tag) return data;
        const value: unknown = tag.resolve(data, refuse, RESOLVE_OPTIONS as never);
        return isScalar(value) ? value.value : value;
      },
    }),
  ];
  const merge = tags.find((tag) => tag.tag === MERGE)?.test;
  if (merge) {
    implicit.push(
      new Type(MERGE, {
        kind: 'scalar',
        resolve: (data: unknown, explicit?: string) => explicit === undefined && typeof data === 'string' && merge.test(data),
      }),
    );
  }
  return FAILSAFE_SCHEMA.extend({ implicit });
}

/**
 * One expression that matches where any of `tests` does. Each test is a
 * whole-string pattern without flags or back references (checked: else the
 * tests are tried one by one).
 */
function joinTests(tests: RegExp[]): { test(data: string): boolean } {
  const joinable = tests.every((test) => test.flags === '' && !/\\[1-9]/.test(test.source));
  if (!joinable) return { test: (data) => tests.some((test) => test.test(data)) };
  return new RegExp(`^(?:${tests.map((test) => `(?:${test.source})`).join('|')})`);
}
