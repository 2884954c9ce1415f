import { load, YAMLException } from 'js-yaml';
import { limitExceeded, NO_DEADLINE, type Deadline } from './limits.ts';
import type { DocumentStream, RawDocument, StreamError } from './stream.ts';
import { fastSchema } from './yaml-fast-schema.ts';
import { splitYamlDocuments } from './yaml-split.ts';

/**
 * The most text the `yaml` package is given at once. It keeps every node's
 * position, at about 200 bytes of heap per byte of text (a 6 MB document
 * took 1.2 GB) and ten times js-yaml's time: more than a Workers isolate
 * (128 MB) or a reasonable deadline allows. Larger texts and documents are
 * read by js-yaml alone (below), whose messages are coarser but still give
 * a line and column.
 */
export const PRECISE_MAX_BYTES = 256 * 1024;

/** Line breaks other than `\n`/`\r\n`, which the split by markers does not model. */
const ODD_BREAKS = /\r(?!\n)|[\u0085\u2028\u2029]|(?!^)\uFEFF/;
const ANCHOR = /(?:^|[\s[{,:])&[^\s[\]{},]/;
const noLocation = (): null => null;

/**
 * Reads a stream too large for the `yaml` package with js-yaml, document by
 * document: a document with a syntax error is reported at js-yaml's line
 * and column (never its message, which quotes the text) and left out; a
 * repeated key keeps its last value without a warning. A document with
 * anchors is read too (js-yaml shares one object between an anchor and its
 * aliases), and refused when its aliases expand it past `maxNodes` nodes:
 * the "billion laughs" budget, counted without building anything.
 */
export function parseYamlCoarsely(text: string, maxNodes: number, deadline: Deadline = NO_DEADLINE): DocumentStream {
  const slices = ODD_BREAKS.test(text) ? null : splitYamlDocuments(text);
  if (!slices) {
    const message =
      `Error parsing YAML: a design over ${PRECISE_MAX_BYTES / 1024} KiB must use plain line breaks ` +
      '(\\n or \\r\\n), no directives (%YAML, %TAG) and nothing but comments after a `...`';
    return { documents: [], errors: [{ index: null, line: null, column: null, message }], warnings: [] };
  }
  const options = { schema: fastSchema(), json: true };
  const documents: RawDocument[] = [];
  const errors: StreamError[] = [];
  for (const [index, slice] of slices.entries()) {
    deadline();
    const source = text.slice(slice.start, slice.end);
    let value: unknown;
    try {
      value = load(source, options);
    } catch (err) {
      const mark = err instanceof YAMLException ? err.mark : undefined;
      const line = mark ? mark.line + slice.firstLine : slice.line;
      const column = mark ? mark.column + 1 : null;
      const at = column === null ? `line ${line}` : `line ${line}, column ${column}`;
      errors.push({ index, line, column, message: `Error parsing YAML at ${at}: the text cannot be read as YAML` });
      continue;
    }
    if (source.includes('&') && ANCHOR.test(source) && expandsBeyond(value, maxNodes)) {
      throw limitExceeded(
        'nodes',
        `with its aliases expanded, document ${index + 1} (line ${slice.line}) has more than ${maxNodes} nodes`,
      );
    }
    documents.push({ index, line: slice.line, value: value ?? null, locate: noLocation });
  }
  return { documents, errors, warnings: [] };
}

/**
 * True when walking `root` as the readers after the parser will (each alias
 * as a full copy of its anchor) visits more than `max` nodes. Iterative, and
 * ends on a recursive structure too (its walk never finishes).
 */
function expandsBeyond(root: unknown, max: number): boolean {
  const stack: unknown[] = [root];
  let seen = 0;
  while (stack.length > 0) {
    const value = stack.pop();
    seen += 1;
    if (seen > max) return true;
    if (value === null || typeof value !== 'object' || value instanceof Date) continue;
    for (const child of Array.isArray(value) ? value : Object.values(value)) stack.push(child);
  }
  return false;
}
