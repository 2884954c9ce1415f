import { limitExceeded, type DesignLimits } from './limits.ts';

/**
 * One linear pass over a design's text, with no recursion and no regular
 * expressions, that refuses it before any parser sees it when it nests too
 * deeply, holds too many nodes or too many aliases. The counts are of the
 * text's structure, as a reader would see it: block indentation levels,
 * compact `- `/`? ` entries and flow `[`/`{` add depth; scalars, flow
 * collections, entries and aliases are nodes. Quoted scalars, comments and
 * block scalars (`|`, `>`) are skipped, so their content counts for
 * nothing. Where YAML is ambiguous without a full parse (a plain scalar
 * continued on a more indented line) the pass counts a little more, never
 * less, than the parser would build: the limits are far above real designs.
 */
export function prescanYaml(text: string, limits: Pick<DesignLimits, 'maxDepth' | 'maxNodes' | 'maxAliases'>): void {
  const scan = new Counter(limits);
  const indents: number[] = [];
  let flow = 0;
  let quote = 0; // the open quote character, or 0
  let blockScalarParent = -1; // indentation a block scalar's lines are deeper than, or -1
  let line = 0;
  let at = 0;
  const n = text.length;

  while (at < n) {
    line += 1;
    let eol = text.indexOf('\n', at);
    if (eol === -1) eol = n;
    let i = at;
    while (i < eol && text.charCodeAt(i) === SPACE) i += 1;
    const indent = i - at;
    const first = i < eol ? text.charCodeAt(i) : NEWLINE;

    if (blockScalarParent >= 0) {
      if (isBlank(first) || indent > blockScalarParent) {
        at = eol + 1;
        continue;
      }
      blockScalarParent = -1;
    }
    let valueStart = true;
    let compact = 0;
    if (quote === 0 && flow === 0) {
      if (isBlank(first) || first === HASH || first === PERCENT) {
        at = eol + 1;
        continue;
      }
      if (isMarker(text, i, eol)) {
        indents.length = 0;
        i += 3;
      } else {
        while (indents.length > 0 && indents[indents.length - 1]! > indent) indents.pop();
        if (indents.length === 0 || indents[indents.length - 1]! < indent) indents.push(indent);
        scan.depth(indents.length, line);
      }
    }
    const depth = () => indents.length + compact + flow;

    for (; i < eol; i += 1) {
      const ch = text.charCodeAt(i);
      if (quote !== 0) {
        if (quote === DQUOTE && ch === BACKSLASH) i += 1;
        else if (ch === quote) {
          if (quote === SQUOTE && text.charCodeAt(i + 1) === SQUOTE) i += 1;
          else quote = 0;
        }
        continue;
      }
      if (ch === SPACE || ch === TAB || ch === CR) continue;
      if (ch === HASH) {
        const before = i === at ? SPACE : text.charCodeAt(i - 1);
        if (before === SPACE || before === TAB) break;
      }
      if (ch === OPEN_SEQ || ch === OPEN_MAP) {
        if (valueStart || flow > 0) {
          flow += 1;
          scan.node(line);
          scan.depth(depth(), line);
          valueStart = true;
          continue;
        }
      } else if ((ch === CLOSE_SEQ || ch === CLOSE_MAP) && flow > 0) {
        flow -= 1;
        valueStart = false;
        continue;
      } else if (ch === COMMA && flow > 0) {
        valueStart = true;
        continue;
      } else if (ch === COLON && isSeparated(text, i + 1, eol, flow)) {
        valueStart = true;
        continue;
      }
      if (!valueStart) continue;
      if (ch === DQUOTE || ch === SQUOTE) {
        quote = ch;
        scan.node(line);
        valueStart = false;
      } else if ((ch === DASH || ch === QUESTION) && flow === 0 && isSeparated(text, i + 1, eol, 0)) {
        compact += 1;
        scan.node(line);
        scan.depth(depth(), line);
      } else if ((ch === PIPE || ch === GREATER) && flow === 0) {
        blockScalarParent = indent;
        scan.node(line);
        break;
      } else if (ch === AMPERSAND || ch === BANG || ch === STAR) {
        if (ch === STAR) scan.alias(line);
        while (i + 1 < eol && !isTokenEnd(text.charCodeAt(i + 1))) i += 1;
        if (ch === STAR) valueStart = false;
      } else {
        scan.node(line);
        valueStart = false;
      }
    }
    at = eol + 1;
  }
}

/**
 * The same limits for a JSON body: depth of `[`/`{` and values, strings
 * skipped. JSON.parse itself is iterative, but everything that walks its
 * result afterwards recurses.
 */
export function prescanJson(text: string, limits: Pick<DesignLimits, 'maxDepth' | 'maxNodes'>): void {
  const scan = new Counter({ ...limits, maxAliases: 0 });
  let depth = 0;
  let line = 1;
  let inValue = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text.charCodeAt(i);
    if (ch === DQUOTE) {
      scan.node(line);
      for (i += 1; i < text.length; i += 1) {
        const c = text.charCodeAt(i);
        if (c === BACKSLASH) i += 1;
        else if (c === DQUOTE) break;
      }
      inValue = false;
    } else if (ch === OPEN_SEQ || ch === OPEN_MAP) {
      depth += 1;
      scan.node(line);
      scan.depth(depth, line);
      inValue = false;
    } else if (ch === CLOSE_SEQ || ch === CLOSE_MAP) {
      depth -= 1;
      inValue = false;
    } else if (ch === COMMA || ch === COLON || ch === SPACE || ch === TAB || ch === CR || ch === NEWLINE) {
      if (ch === NEWLINE) line += 1;
      inValue = false;
    } else if (!inValue) {
      scan.node(line);
      inValue = true;
    }
  }
}

class Counter {
  #nodes = 0;
  #aliases = 0;
  readonly #limits: Pick<DesignLimits, 'maxDepth' | 'maxNodes' | 'maxAliases'>;

  constructor(limits: Pick<DesignLimits, 'maxDepth' | 'maxNodes' | 'maxAliases'>) {
    this.#limits = limits;
  }

  depth(depth: number, line: number): void {
    if (depth > this.#limits.maxDepth) {
      throw limitExceeded('depth', `it nests deeper than ${this.#limits.maxDepth} levels at line ${line}`);
    }
  }

  node(line: number): void {
    this.#nodes += 1;
    if (this.#nodes > this.#limits.maxNodes) {
      throw limitExceeded('nodes', `it has more than ${this.#limits.maxNodes} nodes (at line ${line})`);
    }
  }

  alias(line: number): void {
    this.#aliases += 1;
    this.node(line);
    if (this.#aliases > this.#limits.maxAliases) {
      throw limitExceeded('aliases', `it has more than ${this.#limits.maxAliases} alias references (at line ${line})`);
    }
  }
}

const NEWLINE = 10;
const CR = 13;
const SPACE = 32;
const TAB = 9;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const PERCENT = 37;
const AMPERSAND = 38;
const SQUOTE = 39;
const STAR = 42;
const COMMA = 44;
const DASH = 45;
const COLON = 58;
const GREATER = 62;
const QUESTION = 63;
const OPEN_SEQ = 91;
const BACKSLASH = 92;
const CLOSE_SEQ = 93;
const OPEN_MAP = 123;
const PIPE = 124;
const CLOSE_MAP = 125;

const isBlank = (ch: number) => ch === NEWLINE || ch === CR;

/** A `:`, `-` or `?` is an indicator only when a blank (or, in flow, an indicator) follows. */
function isSeparated(text: string, next: number, eol: number, flow: number): boolean {
  if (next >= eol) return true;
  const ch = text.charCodeAt(next);
  if (ch === SPACE || ch === TAB || ch === CR) return true;
  return flow > 0 && (ch === COMMA || ch === CLOSE_SEQ || ch === CLOSE_MAP || ch === OPEN_SEQ || ch === OPEN_MAP);
}

function isTokenEnd(ch: number): boolean {
  return ch === SPACE || ch === TAB || ch === CR || ch === COMMA || ch === CLOSE_SEQ || ch === CLOSE_MAP || ch === OPEN_SEQ || ch === OPEN_MAP;
}

/** `---` or `...` at the start of a line, followed by a blank or the line's end. */
function isMarker(text: string, i: number, eol: number): boolean {
  if (i !== 0 && text.charCodeAt(i - 1) !== NEWLINE) return false;
  const a = text.charCodeAt(i);
  if ((a !== DASH && a !== 46) || text.charCodeAt(i + 1) !== a || text.charCodeAt(i + 2) !== a) return false;
  return isSeparated(text, i + 3, eol, 0);
}
