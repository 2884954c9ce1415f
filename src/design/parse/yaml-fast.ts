import { load } from 'js-yaml';
import type { PathKey } from '../schemas/index.ts';
import { NO_DEADLINE, type Deadline } from './limits.ts';
import type { DocumentStream, RawDocument } from './stream.ts';
import { fastSchema } from './yaml-fast-schema.ts';
import { locateIn, parseYamlPrecisely, readYaml } from './yaml-precise.ts';
import { PRECISE_MAX_BYTES } from './yaml-coarse.ts';
import { splitYamlDocuments, type DocumentSlice } from './yaml-split.ts';

export interface FastReading {
  stream: DocumentStream;
  /** Indexes of the documents that needed the `yaml` package all the same. */
  precise: number[];
}

/**
 * Documents js-yaml would read differently from the `yaml` package, found
 * by a look at their text (a false alarm costs only speed):
 * - anchors: js-yaml shares one object between an anchor and its aliases,
 *   and has no budget for them; the package counts alias expansions
 *   (MAX_ALIAS_COUNT) and refuses recursive ones, so anchored documents get
 *   the package's exact verdict (and no aliased value ever leaves js-yaml);
 * - keys that are null (`~:`, `: x`) or collections (`[a]: x`, `? x`):
 *   each reader turns them into a different string.
 */
const ANCHOR = /(?:^|[\s[{,:])&[^\s[\]{},]/;
const NULL_KEY = /(?:^|[\s[{,])(?:~|null|Null|NULL)?[ \t]*:(?=[\s,\]}]|$)/;
const COLLECTION_KEY = /[\]}][ \t]*:|(?:^|[\s[{,])\?(?=\s|$)/;
/** The package refuses implicit keys longer than 1024 characters; js-yaml does not. */
const LONG_LINE = 1000;

function needsPackage(text: string, source: string, slice: DocumentSlice): boolean {
  if ((source.includes('&') && ANCHOR.test(source)) || NULL_KEY.test(source) || COLLECTION_KEY.test(source)) return true;
  if (hasLongLine(source)) return true;
  if (slice.content === null) return false;
  // A tag on the document itself moves the package's line past the tag; a
  // block collection on the `---` line is an error to the package only.
  return text.charCodeAt(slice.content) === 33 /* ! */ || (slice.line === slice.firstLine && text.startsWith('---', slice.start));
}

function hasLongLine(source: string): boolean {
  let from = 0;
  for (let eol = source.indexOf('\n'); eol !== -1; eol = source.indexOf('\n', from)) {
    if (eol - from > LONG_LINE) return true;
    from = eol + 1;
  }
  return source.length - from > LONG_LINE;
}

/** Line breaks that are not `\n` or `\r\n`: the readers count lines differently. */
const ODD_BREAKS = /\r(?!\n)|[\u0085\u2028\u2029]|(?!^)\uFEFF/;

/**
 * Reads each document with js-yaml, which is about ten times faster than the
 * `yaml` package, or returns null when the stream needs the package: some
 * document does not read cleanly (a syntax error, a repeated key, an
 * explicit tag other than !!str/!!seq/!!map, nesting deeper than js-yaml's
 * 100 levels, ...), or the stream's layout is unusual (directives,
 * content after `...`, odd line breaks). A document that uses anchors is
 * read by the package on its own, and must read cleanly there too.
 */
export function parseYamlFast(text: string, deadline: Deadline = NO_DEADLINE): FastReading | null {
  if (ODD_BREAKS.test(text)) return null;
  const slices = splitYamlDocuments(text);
  if (!slices) return null;
  const options = { schema: fastSchema(), onWarning: (warning: unknown) => { throw warning; } };
  const documents: RawDocument[] = [];
  const precise: number[] = [];
  for (const [index, slice] of slices.entries()) {
    deadline();
    const source = text.slice(slice.start, slice.end);
    if (needsPackage(text, source, slice)) {
      // Too large for the package's memory: the caller reads the stream coarsely.
      if (source.length > PRECISE_MAX_BYTES) return null;
      const doc = readAlone(source, index, slice);
      if (!doc) return null;
      documents.push(doc);
      precise.push(index);
      continue;
    }
    let value: unknown;
    try {
      value = load(source, options);
    } catch {
      return null;
    }
    if (value === undefined) return null;
    documents.push({ index, line: slice.line, value, locate: lazyLocate(source, slice) });
  }
  return { stream: { documents, errors: [], warnings: [] }, precise };
}

/** A document read by the `yaml` package alone, shifted to its place in the stream. */
function readAlone(source: string, index: number, slice: DocumentSlice): RawDocument | null {
  const alone = parseYamlPrecisely(source);
  const [doc] = alone.documents;
  if (!doc || alone.documents.length !== 1 || alone.errors.length > 0 || alone.warnings.length > 0) return null;
  const shift = slice.firstLine - 1;
  return {
    index,
    line: doc.line === null ? null : doc.line + shift,
    value: doc.value,
    locate: (path) => {
      const line = doc.locate(path);
      return line === null ? null : line + shift;
    },
  };
}

/**
 * js-yaml keeps no positions. Messages that point at a key are rare (the
 * document is invalid), so the document is read again by the `yaml` package
 * the first time one is needed.
 */
function lazyLocate(source: string, slice: DocumentSlice): RawDocument['locate'] {
  let locate: RawDocument['locate'] | undefined;
  return (path: readonly PathKey[]) => {
    if (!locate && source.length > PRECISE_MAX_BYTES) locate = () => null;
    if (!locate) {
      try {
        const { docs, lineCounter } = readYaml(source);
        const contents = docs[0]?.contents;
        const shift = slice.firstLine - 1;
        locate = (at) => locateIn(contents, at, (offset) => lineCounter.linePos(offset).line + shift);
      } catch {
        // No line is better than no message: callers fall back to the document's line.
        locate = () => null;
      }
    }
    return locate(path);
  };
}

