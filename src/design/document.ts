import type { DesignKind } from './model.ts';

/**
 * One design document after parsing and schema validation, in either input
 * format (Deckhand `schema: drydock/<Kind>/v1` + `data`, or legacy
 * `apiVersion: drydock/v1` + `kind` + `spec`). `data` is the document body
 * exactly as written, already checked against the kind's schema, with
 * Drydock's snake_case keys; the compiler maps it into the model.
 */
export interface DesignDocument {
  kind: DesignKind;
  name: string;
  /** Always the Deckhand form, e.g. `drydock/Network/v1`, for messages' docs. */
  schema: string;
  /** metadata.labels (Deckhand) or metadata.labels (legacy), else {}. */
  labels: Record<string, string>;
  data: Record<string, unknown>;
  /** Position in the stream (0-based) and line of the document's start, for errors. */
  index: number;
  line: number | null;
}
