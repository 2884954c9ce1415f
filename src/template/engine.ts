/**
 * The template engine: LiquidJS, an interpreter (workerd forbids code
 * generation from strings, and a template cannot run code in the server).
 * Configured to behave like the Jinja2 environment Drydock used where the two
 * can agree (docs/templates.md lists where they cannot):
 * - an undefined variable renders as nothing (strictVariables off);
 * - values print as Python's str() does (`True`, `None`, `['a']`);
 * - '' and 0 are false in conditions (jsTruthy), as in Python;
 * - parentheses group conditions (groupedExpressions);
 * - an unknown filter is a syntax error, as in Jinja2, so design
 *   validation catches it before a node asks (strictFilters);
 * - an output or condition that LiquidJS would only partly read (a Jinja2
 *   form such as `a if b else c`) is a syntax error (strict-expressions.ts);
 * - `urlencode` is Jinja2's.
 * Templates never reach a file system: include, render and layout are
 * refused when parsing. One engine serves every render; parsed templates are
 * cached by their text.
 */
import { Liquid, Tag, type Template, type TagToken, type TopLevelToken } from 'liquidjs/dist/liquid.browser.mjs';
import { pyStr } from './py-str.ts';
import { checkExpressions } from './strict-expressions.ts';
import { urlencode } from './urlencode.ts';

/**
 * The cache is bounded by entries and by the characters of the texts it
 * keeps (a parsed tree is a few times its text): a Worker has 128 MB. A
 * template larger than MAX_CACHED_TEXT is parsed on every render instead.
 */
const MAX_CACHE_ENTRIES = 256;
const MAX_CACHED_CHARS = 4 * 1_048_576;
const MAX_CACHED_TEXT = 256 * 1024;

/** Limits so one template cannot stall the server or exhaust its memory. */
const RENDER_LIMIT_MS = 2_000;
const MEMORY_LIMIT = 64 * 1_048_576;
const PARSE_LIMIT = 16 * 1_048_576;

class RefusedTag extends Tag {
  constructor(token: TagToken, remain: TopLevelToken[], liquid: Liquid) {
    super(token, remain, liquid);
    throw new Error(`the ${token.name} tag is not available in boot action templates`);
  }
  *render(): Generator<unknown, void, unknown> {}
}

let engine: Liquid | null = null;

function liquid(): Liquid {
  if (engine) return engine;
  const created = new Liquid({
    strictVariables: false,
    strictFilters: true,
    jsTruthy: true,
    groupedExpressions: true,
    greedy: true,
    outputEscape: pyStr,
    templates: {},
    ownPropertyOnly: true,
    renderLimit: RENDER_LIMIT_MS,
    memoryLimit: MEMORY_LIMIT,
    parseLimit: PARSE_LIMIT,
  });
  for (const name of ['include', 'render', 'layout']) created.registerTag(name, RefusedTag);
  created.registerFilter('urlencode', urlencode);
  engine = created;
  return created;
}

const cache = new Map<string, Template[]>();
let cachedChars = 0;

/** Parses (or finds in the cache) a template; a syntax error throws, naming line and column. */
export function parseTemplate(text: string): Template[] {
  const hit = cache.get(text);
  if (hit) {
    // Least recently used goes first: move a hit to the end.
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  const engine = liquid();
  const parsed = engine.parse(text);
  checkExpressions(engine, text);
  if (text.length <= MAX_CACHED_TEXT) {
    cache.set(text, parsed);
    cachedChars += text.length;
    while (cache.size > MAX_CACHE_ENTRIES || cachedChars > MAX_CACHED_CHARS) {
      const oldest = cache.keys().next().value!;
      cache.delete(oldest);
      cachedChars -= oldest.length;
    }
  }
  return parsed;
}

/** Renders a template with a context; the output keeps every byte, trailing newline included. */
export function renderTemplate(text: string, context: object): string {
  return liquid().renderSync(parseTemplate(text), context) as string;
}

/** For tests: how many parsed templates the cache holds. */
export function cachedTemplateCount(): number {
  return cache.size;
}
