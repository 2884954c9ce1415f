/** One document of a YAML stream, found by its markers alone. */
export interface DocumentSlice {
  /** Offsets of its text: from its `---` line (or the stream's start) to the next marker. */
  start: number;
  end: number;
  /** 1-based line of `start`. */
  firstLine: number;
  /**
   * 1-based line where its content starts, as the `yaml` package reports it:
   * the first line that is not blank or a comment, or the `---` line of an
   * empty document.
   */
  line: number;
  /** Offset of its first content character, or null when it is empty. */
  content: number | null;
}

const NEWLINE = 10;
const MARKER_AT_LINE_START = /^(?:---|\.\.\.)(?=[ \t\r\n]|$)|^%/gm;

/**
 * Cuts a stream into its documents in one pass over the text: a line that
 * starts with `---` or `...` (followed by a blank or the end of the line)
 * is a document marker wherever it stands, in YAML 1.1 and 1.2 alike, so
 * every reader cuts there too. Returns null for layouts this does not model
 * exactly, which the caller then leaves to the `yaml` package: directives
 * (`%YAML`, `%TAG`), a `...` followed by anything but comments, or a `...`
 * that ends no document.
 */
export function splitYamlDocuments(text: string): DocumentSlice[] | null {
  const slices: DocumentSlice[] = [];
  let open: { start: number; firstLine: number; marker: boolean } | null = { start: 0, firstLine: 1, marker: false };
  let counted = 0;
  let line = 1;
  const lineAt = (offset: number): number => {
    for (let at = text.indexOf('\n', counted); at !== -1 && at < offset; at = text.indexOf('\n', at + 1)) line += 1;
    counted = offset;
    return line;
  };
  const close = (end: number): void => {
    if (!open) return;
    const content = contentStart(text, open.marker ? open.start + 3 : open.start, end);
    if (content !== null || open.marker) {
      const line = content === null ? open.firstLine : lineAt(content);
      slices.push({ start: open.start, end, firstLine: open.firstLine, line, content });
    }
    open = null;
  };

  MARKER_AT_LINE_START.lastIndex = 0;
  for (let match = MARKER_AT_LINE_START.exec(text); match; match = MARKER_AT_LINE_START.exec(text)) {
    const at = match.index;
    if (match[0] === '%') return null;
    if (match[0] === '---') {
      close(at);
      open = { start: at, firstLine: lineAt(at), marker: true };
      continue;
    }
    // A `...` that ends no document is read as an empty one by the package.
    if (!open || (!open.marker && contentStart(text, open.start, at) === null)) return null;
    close(at);
    const next = text.slice(at).search(/^---(?=[ \t\r\n]|$)/m);
    const rest = next === -1 ? text.length : at + next;
    if (contentStart(text, at + 3, rest) !== null) return null;
  }
  close(text.length);
  return slices;
}

/**
 * Offset of the first character in [from, to) that is neither white space
 * nor inside a comment, or null.
 */
function contentStart(text: string, from: number, to: number): number | null {
  let at = from;
  while (at < to) {
    const ch = text.charCodeAt(at);
    if (ch === 32 || ch === 9 || ch === 13 || ch === NEWLINE || (ch === 0xfeff && at === 0)) {
      at += 1;
    } else if (ch === 35 /* # */) {
      const eol = text.indexOf('\n', at);
      at = eol === -1 ? to : eol;
    } else {
      return at;
    }
  }
  return null;
}
