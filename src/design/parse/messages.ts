import type { DocRef, ValidationLevel, ValidationMessage } from '../model.ts';

/** Schema failures, as Drydock names them. */
export const SCHEMA_ERROR = 'DD001';
/**
 * Everything else that keeps a document out of the design: YAML syntax,
 * unknown kinds, missing names, duplicates, values Drydock's model refuses
 * (Drydock's "Error processing document").
 */
export const DOCUMENT_ERROR = 'DD000';

export function message(
  name: string,
  level: ValidationLevel,
  text: string,
  docs: DocRef[],
  diagnostic: string,
): ValidationMessage {
  return { kind: 'ValidationMessage', name, level, error: level === 'Error', message: text, documents: docs, diagnostic };
}

/** Where a document is, for diagnostics: `document 3 (line 40)`. */
export function where(index: number, line: number | null): string {
  return line === null ? `document ${index + 1}` : `document ${index + 1} (line ${line})`;
}

export function schemaError(doc: DocRef, path: string, text: string, line: number | null): ValidationMessage {
  const at = line === null ? '' : ` (line ${line})`;
  return message(
    SCHEMA_ERROR,
    'Error',
    `Schema validation error in ${doc.schema} '${doc.name}' at ${path}: ${text}`,
    [doc],
    `Invalid input file${at} - see Drydock Troubleshooting Guide for DD001`,
  );
}

export function documentError(docs: DocRef[], text: string, diagnostic: string): ValidationMessage {
  return message(DOCUMENT_ERROR, 'Error', text, docs, diagnostic);
}

export function documentWarning(docs: DocRef[], text: string, diagnostic: string): ValidationMessage {
  return message(DOCUMENT_ERROR, 'Warning', text, docs, diagnostic);
}
