import type { DesignDocument } from '../document.ts';
import type { DocRef, ValidationMessage } from '../model.ts';

/** Our code for design compile errors (Drydock raised instead: DD000-style failures). */
export const COMPILE_ERROR = 'DD002';

const DIAGNOSTIC = 'Unresolvable design reference - see Drydock Troubleshooting Guide for DD002';

export function docRef(doc: Pick<DesignDocument, 'schema' | 'name'>): DocRef {
  return { schema: doc.schema, name: doc.name };
}

export function compileError(message: string, docs: DocRef[], diagnostic = DIAGNOSTIC): ValidationMessage {
  return { kind: 'ValidationMessage', message, error: true, level: 'Error', name: COMPILE_ERROR, documents: docs, diagnostic };
}
