/**
 * The deepest nesting of arrays and objects in a JSON text, found by one scan
 * of its characters (strings skipped, escapes honoured) that stops as soon as
 * it passes `max`. It runs before JSON.parse: V8 parses any depth, but what
 * handles the value afterwards (JSON.stringify, validators, Drizzle's JSON
 * columns) recurses and throws a RangeError a few thousand levels down.
 * The text need not be valid JSON; JSON.parse judges that afterwards.
 */
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPENERS = new Set([0x5b, 0x7b]); // [ {
const CLOSERS = new Set([0x5d, 0x7d]); // ] }

export function exceedsJsonDepth(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === BACKSLASH) i++;
      else if (ch === QUOTE) inString = false;
    } else if (ch === QUOTE) {
      inString = true;
    } else if (OPENERS.has(ch)) {
      if (++depth > max) return true;
    } else if (CLOSERS.has(ch)) {
      depth--;
    }
  }
  return false;
}
