import { expect } from 'vitest';
import type { PathKey } from '../../../src/design/schemas/index.ts';
import type { DocumentStream } from '../../../src/design/parse/stream.ts';

/**
 * A value as a tree that `toEqual` compares strictly: key order kept, dates
 * by their time, NaN and -0 named, anything but plain objects flagged.
 */
export function shape(value: unknown): unknown {
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : Object.is(value, -0) ? '-0' : value;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return { date: value.getTime() };
  if (Array.isArray(value)) return value.map(shape);
  if (Object.getPrototypeOf(value) !== Object.prototype) return { unexpected: Object.prototype.toString.call(value) };
  return Object.entries(value).map(([key, child]) => [key, shape(child)]);
}

/** Every path into a value (the root too), in document order. */
export function pathsOf(value: unknown, prefix: PathKey[] = [], out: PathKey[][] = []): PathKey[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((child, i) => pathsOf(child, [...prefix, i], out));
  else if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    for (const [key, child] of Object.entries(value)) pathsOf(child, [...prefix, key], out);
  }
  return out;
}

/**
 * Asserts two readings of a stream are the same: documents (index, line,
 * value), every path's located line, errors and warnings.
 */
export function expectSameReading(actual: DocumentStream, expected: DocumentStream): void {
  expect(actual.errors).toEqual(expected.errors);
  expect(actual.warnings).toEqual(expected.warnings);
  const summary = (stream: DocumentStream) => stream.documents.map((d) => [d.index, d.line, shape(d.value)]);
  expect(summary(actual)).toEqual(summary(expected));
  actual.documents.forEach((doc, i) => {
    const other = expected.documents[i]!;
    const paths = pathsOf(other.value);
    expect(paths.map((path) => doc.locate(path))).toEqual(paths.map((path) => other.locate(path)));
  });
}
