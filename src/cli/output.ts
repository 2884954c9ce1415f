/**
 * The three output formats: `json` and `yaml` print the API's answer as it
 * came; `table` prints what a person reads, through a view of the answer.
 */
import Table from 'cli-table3';
import { stringify } from 'yaml';
import { usageError } from './errors.ts';

export type OutputFormat = 'table' | 'json' | 'yaml';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['table', 'json', 'yaml'];

export function outputFormat(value: string): OutputFormat {
  if ((OUTPUT_FORMATS as readonly string[]).includes(value)) return value as OutputFormat;
  throw usageError(`--output must be one of ${OUTPUT_FORMATS.join(', ')}, not ${value}`);
}

export type Cell = string | number | boolean | null | undefined;

/** Rows under a header; cli-table3 without colour codes in its borders. */
export function rowsTable(head: string[], rows: Cell[][]): string {
  const table = new Table({ head, style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map((c) => (c === null || c === undefined ? '' : String(c))));
  return table.toString();
}

/** One record as name/value lines. */
export function recordTable(fields: Array<[string, Cell]>): string {
  const table = new Table({ style: { head: [], border: [] } });
  for (const [name, value] of fields) table.push({ [name]: value === null || value === undefined ? '' : String(value) });
  return table.toString();
}

/** The answer in the chosen format; `view` makes the table text. */
export function formatAnswer(format: OutputFormat, answer: unknown, view: (answer: never) => string): string {
  if (format === 'json') return JSON.stringify(answer, null, 2);
  if (format === 'yaml') return stringify(answer).trimEnd();
  return view(answer as never);
}
