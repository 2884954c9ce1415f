import type { PathKey } from '../schemas/index.ts';

/** One document of a stream, before anything is known about its kind. */
export interface RawDocument {
  /** Position in the stream, 0-based, counting empty and foreign documents. */
  index: number;
  /** 1-based line where the document's content starts; null for JSON input. */
  line: number | null;
  value: unknown;
  /** Line of the node at `path` (or of its nearest ancestor that exists). */
  locate(path: readonly PathKey[]): number | null;
}

/** A problem with the text itself: no document could be read from it. */
export interface StreamError {
  /** The document it belongs to, when known. */
  index: number | null;
  line: number | null;
  column: number | null;
  message: string;
}

export interface DocumentStream {
  documents: RawDocument[];
  errors: StreamError[];
  /** Things Drydock accepts silently but that are probably mistakes. */
  warnings: StreamError[];
}

export function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
