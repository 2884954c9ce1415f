import { describe, type DocumentStream } from './stream.ts';
import { JSON_PROBLEM } from './syntax-messages.ts';

const noLocation = (): null => null;

/**
 * Reads a JSON body: an array of documents (or one document object), each in
 * either format. JSON has no aliases, so there is nothing to budget.
 */
export function parseJsonDocuments(text: string): DocumentStream {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    const reason = describe(err).replace(/\s+/g, ' ');
    const at = jsonErrorPosition(text, reason);
    return {
      documents: [],
      warnings: [],
      errors: [
        {
          index: null,
          line: at?.line ?? null,
          column: at?.column ?? null,
          message: at
            ? `Error parsing JSON at line ${at.line}, column ${at.column}: ${JSON_PROBLEM}`
            : `Error parsing JSON: ${JSON_PROBLEM} (it ends too early)`,
        },
      ],
    };
  }
  const list = Array.isArray(parsed) ? parsed : [parsed];
  return {
    documents: list.map((value, index) => ({ index, line: null, value, locate: noLocation })),
    errors: [],
    warnings: [],
  };
}

/**
 * Where JSON.parse gave up. V8 names an offset for some errors only; else
 * find the shortest prefix that is wrong rather than merely unfinished
 * (binary search, on the error path only).
 */
function jsonErrorPosition(text: string, reason: string): { line: number; column: number } | null {
  const stated = /position (\d+)/.exec(reason)?.[1];
  if (stated !== undefined) return linePosition(text, Number(stated));
  const unfinished = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (err) {
      const message = describe(err);
      const at = /position (\d+)/.exec(message)?.[1];
      return /end of JSON input/i.test(message) || Number(at) === length;
    }
  };
  if (unfinished(text.length)) return null;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (unfinished(mid)) low = mid + 1;
    else high = mid;
  }
  return linePosition(text, Math.max(0, low - 1));
}

function linePosition(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i += 1) {
    if (text.charCodeAt(i) === 10) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
