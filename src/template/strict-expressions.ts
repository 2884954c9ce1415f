/**
 * LiquidJS reads an expression as far as it makes sense and silently drops
 * the rest: `{{ a if b else c }}` prints `a`, `{% if "x" in list %}` tests
 * only `"x"`, `{% if x is defined %}` tests `x`. Those are Jinja2 forms a
 * Drydock template may hold, and a node would get a wrong file without any
 * error. Here an output or condition must be exactly
 *   [not] value (operator [not] value)*
 * up to its filters, or the template is a syntax error, reported by design
 * validation and at render time alike.
 */
import { TokenKind, Tokenizer, type Liquid, type TagToken, type Token } from 'liquidjs/dist/liquid.browser.mjs';

// Token classes LiquidJS does not export as types.
type OperatorToken = Token & { operator: string };
type OutputToken = Token & { content: string };

export class ExpressionSyntaxError extends Error {}

const CONDITION_TAGS = new Set(['if', 'elsif', 'unless']);
/** Tags whose content is not template code. */
const OPAQUE = new Map([['comment', 'endcomment']]);

function wellFormed(tokenizer: Tokenizer): boolean {
  let expectValue = true;
  for (const token of tokenizer.readExpressionTokens() as Iterable<Token>) {
    if (token.kind === TokenKind.Operator) {
      if ((token as OperatorToken).operator === 'not') {
        if (!expectValue) return false;
        continue;
      }
      if (expectValue) return false;
      expectValue = true;
    } else {
      if (!expectValue) return false;
      expectValue = false;
    }
  }
  return !expectValue;
}

function fail(token: Token, markup: string): never {
  const [line, col] = token.getPosition();
  throw new ExpressionSyntaxError(
    `"${markup.trim()}" is not a whole Liquid expression (Jinja2's "a if b else c", "x in y" and "x is defined" are written differently: see docs/templates.md), line:${line}, col:${col}`,
  );
}

/** Throws ExpressionSyntaxError at the first output or condition that is not a whole Liquid expression. */
export function checkExpressions(liquid: Liquid, text: string): void {
  const { options } = liquid;
  let skipUntil: string | null = null;
  for (const token of new Tokenizer(text, options.operators).readTopLevelTokens(options)) {
    if (token.kind === TokenKind.Tag) {
      const tag = token as TagToken;
      if (skipUntil !== null) {
        if (tag.name === skipUntil) skipUntil = null;
        continue;
      }
      skipUntil = OPAQUE.get(tag.name) ?? null;
      if (!CONDITION_TAGS.has(tag.name)) continue;
      const t = new Tokenizer(tag.args, options.operators, undefined, undefined, options.groupedExpressions);
      if (!wellFormed(t)) fail(tag, tag.args);
      t.skipBlank();
      if (!t.end()) fail(tag, tag.args);
    } else if (token.kind === TokenKind.Output && skipUntil === null) {
      const markup = (token as OutputToken).content;
      const t = new Tokenizer(markup, options.operators, undefined, undefined, options.groupedExpressions);
      if (!wellFormed(t)) fail(token, markup);
      t.skipBlank();
      // Filters follow; LiquidJS has already checked them.
      if (!t.end() && t.peek() !== '|') fail(token, markup);
    }
  }
}
