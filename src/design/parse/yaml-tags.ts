import type { Tags } from 'yaml';

/**
 * Drydock reads designs with PyYAML's `safe_load_all`: YAML 1.1, and
 * PyYAML's own implicit resolvers, which differ from the `yaml` package's
 * YAML 1.1 schema in ways a design can hit: `y`/`n` stay strings (a
 * kernel parameter `nomodeset: y`), `08` stays a string (not octal, not 8),
 * `1e3` and `1.5e3` stay strings (PyYAML wants a dot and a signed exponent),
 * `0:30` stays a string (sexagesimal needs a non-zero first digit).
 * These are PyYAML's resolver patterns, applied to the package's tags, so
 * every plain scalar gets the type Drydock would see.
 */
const BOOL = 'tag:yaml.org,2002:bool';
const INT = 'tag:yaml.org,2002:int';
const FLOAT = 'tag:yaml.org,2002:float';

const TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;
const NEVER = /(?!)/;

/** Keyed by the package's `format` of each int and float tag ('' for plain). */
const INT_TESTS: Record<string, RegExp> = {
  BIN: /^[-+]?0b[0-1_]+$/,
  OCT: /^[-+]?0[0-7_]+$/,
  HEX: /^[-+]?0x[0-9a-fA-F_]+$/,
  TIME: /^[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+$/,
  '': /^[-+]?(?:0|[1-9][0-9_]*)$/,
};
const FLOAT_TESTS: Record<string, RegExp> = {
  // PyYAML has no exponent-only floats; plain floats below take signed exponents.
  EXP: NEVER,
  TIME: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
  '': /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$/,
};

type Tag = Exclude<Tags[number], string>;

function pyyamlTest(tag: Tag): RegExp | undefined {
  if (!('test' in tag) || !tag.test) return undefined;
  const format = tag.format ?? '';
  switch (tag.tag) {
    case BOOL:
      // The package tells its two booleans apart only by what they resolve to.
      return tag.test.test('true') ? TRUE : FALSE;
    case INT:
      return INT_TESTS[format];
    case FLOAT:
      // .inf/.nan are resolved alike by both; keep the package's tag.
      return tag.test.test('.nan') ? undefined : FLOAT_TESTS[format];
    default:
      return undefined;
  }
}

let cached: Tags | undefined;

/**
 * For the parser's `customTags` with the `yaml-1.1` schema: its tags with
 * PyYAML's resolution. The package asks once per document, so the
 * replacement list is built once.
 */
export function pyyamlTags(tags: Tags): Tags {
  cached ??= tags.map((tag) => {
    if (typeof tag === 'string') return tag;
    const test = pyyamlTest(tag);
    return test ? ({ ...tag, test } as Tag) : tag;
  });
  return cached.slice();
}
