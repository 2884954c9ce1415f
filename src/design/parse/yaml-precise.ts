import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { PathKey } from '../schemas/index.ts';
import { NO_DEADLINE, type Deadline } from './limits.ts';
import type { DocumentStream, RawDocument, StreamError } from './stream.ts';
import { yamlProblem } from './syntax-messages.ts';
import { pyyamlTags } from './yaml-tags.ts';

/**
 * How many alias expansions one document may cost (the `yaml` package's
 * measure, which grows with nesting). Designs rarely use anchors at all; a
 * "billion laughs" document trips this after a few hundred nodes instead of
 * expanding to gigabytes.
 */
export const MAX_ALIAS_COUNT = 100;

/** The `yaml` package's options: YAML 1.1 read with PyYAML's resolvers. */
export const YAML_OPTIONS = {
  prettyErrors: false,
  version: '1.1',
  schema: 'yaml-1.1',
  customTags: pyyamlTags,
} as const;

export interface YamlParse {
  docs: Document.Parsed[];
  lineCounter: LineCounter;
  /** Repeated keys, by the offset of the later one. */
  duplicates: Array<{ offset: number; key: string }>;
}

/** Parses with the `yaml` package, keeping the nodes (and their positions). */
export function readYaml(text: string): YamlParse {
  const lineCounter = new LineCounter();
  const duplicates: YamlParse['duplicates'] = [];
  const sameKey = (a: unknown, b: unknown): boolean => {
    if (isScalar(a) && isScalar(b) && a.value === b.value) {
      duplicates.push({ offset: (b as Node).range?.[0] ?? 0, key: String(b.value) });
    }
    return false;
  };
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter, uniqueKeys: sameKey }) as Document.Parsed[];
  return { docs, lineCounter, duplicates };
}

/**
 * The reference reading of a YAML stream, with the `yaml` package: precise
 * positions for every error and warning. Documents with syntax errors are
 * reported and left out; the others are still returned, so one request
 * reports every problem. A key repeated in a mapping keeps its last value,
 * as PyYAML does (Drydock's own sample designs rely on it), and is reported
 * as a warning.
 */
export function parseYamlPrecisely(text: string, deadline: Deadline = NO_DEADLINE): DocumentStream {
  const documents: RawDocument[] = [];
  const errors: StreamError[] = [];
  let parsed: YamlParse;
  try {
    parsed = readYaml(text);
  } catch (err) {
    const problem = err instanceof RangeError ? 'it is nested too deeply to read' : 'the text cannot be read as YAML';
    errors.push({ index: null, line: null, column: null, message: `Error parsing YAML: ${problem}` });
    return { documents, errors, warnings: [] };
  }
  const { docs, lineCounter, duplicates } = parsed;
  const warnings = duplicates.map(({ offset, key }): StreamError => {
    const { line, col } = lineCounter.linePos(offset);
    return {
      index: null,
      line,
      column: col,
      message: `Duplicate key '${key}' at line ${line}, column ${col}: the last value is used, as Drydock does`,
    };
  });
  const mayHaveAliases = text.includes('&');
  const lineOf = (offset: number) => lineCounter.linePos(offset).line;

  docs.forEach((doc, index) => {
    deadline();
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const { line, col } = lineCounter.linePos(err.pos[0]);
        errors.push({
          index,
          line,
          column: col,
          message: `Error parsing YAML at line ${line}, column ${col}: ${yamlProblem(err.code)}`,
        });
      }
      return;
    }
    const line = lineOf(documentStart(doc));
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (mayHaveAliases && isCyclic(value)) {
        throw new Error('an alias refers to a node that contains it (recursive structure)');
      }
    } catch (err) {
      errors.push({ index, line, column: null, message: unreadable(index, line, err) });
      return;
    }
    const locate = (path: readonly PathKey[]) => locateIn(doc.contents, path, lineOf);
    documents.push({ index, line, value, locate });
  });
  return { documents, errors, warnings };
}

/** Where a document's content starts (its `---` when it has none). */
export function documentStart(doc: Document.Parsed): number {
  return doc.contents?.range[0] ?? doc.range[0];
}

/**
 * The line of the key (or list item) at the end of `path`, or of the deepest
 * one that exists: where a message about that value should point.
 */
export function locateIn(root: unknown, path: readonly PathKey[], lineOf: (offset: number) => number): number | null {
  let node = root;
  let line = rangeLine(node, lineOf);
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(key));
      if (!pair) break;
      line = rangeLine(pair.key, lineOf) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      line = rangeLine(node, lineOf) ?? line;
    } else {
      break;
    }
  }
  return line;
}

function rangeLine(node: unknown, lineOf: (offset: number) => number): number | null {
  const range = (node as Node | null | undefined)?.range;
  return range ? lineOf(range[0]) : null;
}

function unreadable(index: number, line: number, err: unknown): string {
  const where = `YAML document ${index + 1} (line ${line})`;
  if (err instanceof ReferenceError && /alias count/i.test(err.message)) {
    return (
      `${where} expands aliases too much: more than ${MAX_ALIAS_COUNT} alias references, ` +
      'the limit that protects against "billion laughs" documents'
    );
  }
  if (err instanceof RangeError) return `${where} is nested too deeply to read`;
  if (err instanceof Error && /recursive structure/.test(err.message)) return `${where} cannot be read: ${err.message}`;
  return `${where} cannot be read (an alias or tag cannot be resolved)`;
}

/** True when some object contains itself (only aliases can do that). */
function isCyclic(root: unknown): boolean {
  const open = new Set<object>();
  const done = new Set<object>();
  const visit = (value: unknown): boolean => {
    if (value === null || typeof value !== 'object') return false;
    if (open.has(value)) return true;
    if (done.has(value)) return false;
    open.add(value);
    const children = Array.isArray(value) ? value : Object.values(value);
    for (const child of children) if (visit(child)) return true;
    open.delete(value);
    done.add(value);
    return false;
  };
  return visit(root);
}
