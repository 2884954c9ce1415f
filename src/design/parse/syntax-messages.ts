import type { ErrorCode } from 'yaml';

/**
 * What is wrong with a text that is not YAML or JSON, in words that never
 * quote it. A design_ref may name any file the server can read (a key, a
 * token) or a document fetched with the server's credentials; the readers'
 * own messages carry a snippet of the source (V8's JSON errors, the `yaml`
 * package's alias, tag and escape errors, js-yaml's excerpts), so they are
 * replaced by these fixed texts, and the line and column say where.
 */
const YAML_PROBLEMS: Record<ErrorCode, string> = {
  ALIAS_PROPS: 'an alias cannot have an anchor or a tag',
  BAD_ALIAS: 'an alias refers to no anchor before it',
  BAD_DIRECTIVE: 'a directive is not valid',
  BAD_DQ_ESCAPE: 'a double-quoted scalar has an invalid escape sequence',
  BAD_INDENT: 'the indentation is wrong',
  BAD_PROP_ORDER: 'an anchor or tag is in the wrong place',
  BAD_SCALAR_START: 'a plain scalar starts with a reserved character',
  BLOCK_AS_IMPLICIT_KEY: 'a block collection cannot be a mapping key',
  BLOCK_IN_FLOW: 'a block collection cannot be inside a flow collection',
  DUPLICATE_KEY: 'a mapping key is repeated',
  IMPOSSIBLE: 'the text cannot be read as YAML',
  KEY_OVER_1024_CHARS: 'an implicit key is longer than 1024 characters',
  MISSING_CHAR: 'a closing quote, bracket or brace is missing',
  MULTILINE_IMPLICIT_KEY: 'an implicit key spans several lines',
  MULTIPLE_ANCHORS: 'a node has more than one anchor',
  MULTIPLE_DOCS: 'a document has more than one root node',
  MULTIPLE_TAGS: 'a node has more than one tag',
  NON_STRING_KEY: 'a mapping key is not a string',
  RESOURCE_EXHAUSTION: 'aliases expand too much',
  TAB_AS_INDENT: 'a tab character is used for indentation',
  TAG_RESOLVE_FAILED: 'a tag is unknown or its value does not fit it',
  UNEXPECTED_TOKEN: 'unexpected content (a missing `:`, `-` or quote, or a wrong indentation)',
  BAD_COLLECTION_TYPE: 'a collection has the wrong type for its tag',
};

export function yamlProblem(code: string): string {
  return YAML_PROBLEMS[code as ErrorCode] ?? 'the text cannot be read as YAML';
}

export const JSON_PROBLEM = 'the text is not valid JSON';

/** What a JavaScript value is, without showing it. */
export function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return 'a string';
    case 'number':
    case 'bigint':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    default:
      return value instanceof Date ? 'a timestamp' : 'a scalar';
  }
}
