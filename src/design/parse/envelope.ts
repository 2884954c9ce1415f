import type { DesignKind, DocRef, ValidationMessage } from '../model.ts';
import { designKinds, isDesignKind } from '../schemas/index.ts';
import { isJsonObject, show } from '../schemas/json.ts';
import { documentError, documentWarning, where } from './messages.ts';
import { kindOf } from './syntax-messages.ts';
import type { RawDocument } from './stream.ts';

/** A Drydock document's wrapper, read; its body is not yet checked. */
export interface DesignEnvelope {
  type: 'design';
  kind: DesignKind;
  /** Always `drydock/<Kind>/v1`. */
  schema: string;
  name: string;
  labels: Record<string, string>;
  /** `data` (Deckhand) or `spec` (legacy); undefined when a Deckhand document has none. */
  body: unknown;
  root: 'data' | 'spec';
  warnings: ValidationMessage[];
}

export type Envelope = { type: 'skip' } | { type: 'invalid'; error: ValidationMessage } | DesignEnvelope;

const SKIP = { type: 'skip' } as const;
const KINDS = designKinds.join(', ');

/**
 * Recognises both formats Drydock ingests: Deckhand (`schema:
 * drydock/<Kind>/v1`, `metadata.name`, `data`) and legacy (`apiVersion:
 * drydock/v1`, `kind`, `metadata.name`, `spec`). Empty documents and those
 * of other namespaces (deckhand/*, promenade/*, no schema at all) are skipped,
 * as Drydock skips them.
 */
export function readEnvelope(raw: RawDocument): Envelope {
  const doc = raw.value;
  if (doc === null || doc === undefined) return SKIP;
  const place = where(raw.index, raw.line);
  if (!isJsonObject(doc)) {
    // Drydock crashes on these (AttributeError); say what is wrong instead,
    // without the value: a file:// ref to a key or token file reads as one string.
    return invalid(null, `D${place.slice(1)} is ${kindOf(doc)}, not a mapping`, 'Each YAML document must be a mapping');
  }
  const metadata = isJsonObject(doc.metadata) ? doc.metadata : {};
  const name = typeof metadata.name === 'string' && metadata.name !== '' ? metadata.name : null;

  let kind: string;
  let root: 'data' | 'spec';
  if (typeof doc.schema === 'string') {
    if (!doc.schema.startsWith('drydock/')) return SKIP;
    const parts = doc.schema.split('/');
    if (parts.length !== 3) {
      return invalid(
        { schema: doc.schema, name: name ?? 'Unknown' },
        `Invalid document schema '${doc.schema}' in ${place}: expected drydock/<Kind>/v1`,
        `Drydock kinds are ${KINDS}`,
      );
    }
    const [, docKind = '', version = ''] = parts;
    if (version !== 'v1' || !isDesignKind(docKind)) {
      return invalid(
        { schema: doc.schema, name: name ?? 'Unknown' },
        `Invalid document - Kind ${docKind} and Version ${version} in ${place}`,
        `Drydock kinds are ${KINDS}, all at version v1`,
      );
    }
    kind = docKind;
    root = 'data';
  } else if (typeof doc.apiVersion === 'string') {
    if (!doc.apiVersion.startsWith('drydock/')) return SKIP;
    const docKind = typeof doc.kind === 'string' ? doc.kind : show(doc.kind);
    if (doc.apiVersion !== 'drydock/v1' || !isDesignKind(docKind)) {
      return invalid(
        { schema: `${doc.apiVersion}/${docKind}`, name: name ?? 'Unknown' },
        `Invalid document Kind ${docKind} with apiVersion ${doc.apiVersion} in ${place}`,
        `Drydock kinds are ${KINDS}, with apiVersion drydock/v1`,
      );
    }
    kind = docKind;
    root = 'spec';
  } else {
    return SKIP;
  }

  const schema = `drydock/${kind}/v1`;
  if (name === null) {
    return invalid(
      { schema, name: 'Unknown' },
      metadata.name === undefined || metadata.name === null || metadata.name === ''
        ? `The ${schema} ${place} has no metadata.name`
        : `The metadata.name of the ${schema} ${place} is ${show(metadata.name)}, not a string`,
      'Every Drydock document needs a non-empty string metadata.name',
    );
  }
  const ref = { schema, name };
  const warnings: ValidationMessage[] = [];
  const labels = readLabels(metadata.labels, ref, warnings);
  // Legacy documents without a spec are processed as empty, as Drydock does.
  const body = root === 'data' ? doc.data : 'spec' in doc ? doc.spec : {};
  return { type: 'design', kind: kind as DesignKind, schema, name, labels, body, root, warnings };
}

function invalid(doc: DocRef | null, text: string, diagnostic: string): Envelope {
  return { type: 'invalid', error: documentError(doc ? [doc] : [], text, diagnostic) };
}

/**
 * Drydock ignores metadata.labels, so odd values must not fail a design:
 * numbers and booleans become strings, anything else is left out with a warning.
 */
function readLabels(value: unknown, ref: DocRef, warnings: ValidationMessage[]): Record<string, string> {
  const labels: Record<string, string> = {};
  if (value === undefined || value === null) return labels;
  if (!isJsonObject(value)) {
    warnings.push(
      documentWarning([ref], `metadata.labels of ${ref.schema} '${ref.name}' is not a mapping; ignored`, 'Labels are a mapping of strings'),
    );
    return labels;
  }
  for (const [key, label] of Object.entries(value)) {
    if (typeof label === 'string') labels[key] = label;
    else if (typeof label === 'number' || typeof label === 'boolean') labels[key] = String(label);
    else {
      warnings.push(
        documentWarning(
          [ref],
          `Label '${key}' of ${ref.schema} '${ref.name}' is ${show(label)}, not a string; ignored`,
          'Labels are a mapping of strings',
        ),
      );
    }
  }
  return labels;
}
