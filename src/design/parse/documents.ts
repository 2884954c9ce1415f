import type { DesignDocument } from '../document.ts';
import type { ValidationMessage } from '../model.ts';
import { formatPath, validateDesignData, type SchemaIssue } from '../schemas/index.ts';
import { readEnvelope, type DesignEnvelope } from './envelope.ts';
import { ingestChecks } from './ingest-checks.ts';
import { documentError, documentWarning, schemaError, where } from './messages.ts';
import { parseJsonDocuments } from './json-stream.ts';
import { DEFAULT_DESIGN_LIMITS, NO_DEADLINE, type Deadline, type DesignLimits } from './limits.ts';
import { prescanJson, prescanYaml } from './prescan.ts';
import type { RawDocument } from './stream.ts';
import { parseYamlStream } from './yaml-stream.ts';

export interface ParsedDesign {
  /** Documents that passed every check, in stream order. */
  documents: DesignDocument[];
  /** Every problem found (not only the first), syntax errors and warnings first. */
  messages: ValidationMessage[];
  /**
   * The subset of `messages` saying the text itself is not YAML/JSON (or a
   * document of it could not be read). DD000 also names Drydock's document
   * processing errors, so test this, not the name, to refuse unreadable input.
   */
  syntaxErrors: ValidationMessage[];
}

export interface ParseOptions {
  /** Checked on the text before any parser sees it. */
  limits?: Pick<DesignLimits, 'maxDepth' | 'maxNodes' | 'maxAliases'>;
  /** Checked between documents. */
  deadline?: Deadline;
}

/**
 * Reads a design (YAML stream, or a JSON array of documents) in either of
 * Drydock's formats and checks each Drydock document against its kind's
 * schema. A document with any error is left out of `documents`, as Drydock
 * leaves out a document it cannot validate or process; the rest are kept,
 * so the caller sees all the problems of a design at once.
 *
 * A design over one of the `limits` (or past the `deadline`) is not read
 * at all: DesignLimitExceeded is thrown, naming the limit and its setting.
 */
export function parseDesign(text: string, format: 'yaml' | 'json' = 'yaml', options: ParseOptions = {}): ParsedDesign {
  const limits = options.limits ?? DEFAULT_DESIGN_LIMITS;
  const deadline = options.deadline ?? NO_DEADLINE;
  if (format === 'json') prescanJson(text, limits);
  else prescanYaml(text, limits);
  const stream = format === 'json' ? parseJsonDocuments(text) : parseYamlStream(text, deadline, limits.maxNodes);
  const syntaxErrors: ValidationMessage[] = stream.errors.map((err) =>
    documentError(
      [],
      err.message,
      err.line === null
        ? 'The design could not be read'
        : `Fix the ${format === 'json' ? 'JSON' : 'YAML'} syntax at line ${err.line}${err.column === null ? '' : `, column ${err.column}`}`,
    ),
  );
  const messages = [...syntaxErrors];
  for (const warning of stream.warnings) {
    messages.push(documentWarning([], warning.message, 'Remove one of the repeated keys'));
  }
  const documents: DesignDocument[] = [];
  const seen = new Map<string, RawDocument>();

  for (const raw of stream.documents) {
    deadline();
    const envelope = readEnvelope(raw);
    if (envelope.type === 'skip') continue;
    if (envelope.type === 'invalid') {
      messages.push(envelope.error);
      continue;
    }
    messages.push(...envelope.warnings);
    const ref = { schema: envelope.schema, name: envelope.name };

    const key = `${envelope.kind}\u0000${envelope.name}`;
    const first = seen.get(key);
    let ok = true;
    if (first) {
      messages.push(
        documentError(
          [ref, ref],
          `Duplicate ${envelope.kind} name '${envelope.name}': first in ${where(first.index, first.line)}, ` +
            `again in ${where(raw.index, raw.line)}`,
          'Names must be unique within a kind; the later document is left out',
        ),
      );
      ok = false;
    } else {
      seen.set(key, raw);
    }

    for (const issue of byLine(raw, envelope, checkBody(envelope))) {
      const line = raw.locate([envelope.root, ...issue.path]);
      messages.push(schemaError(ref, formatPath(envelope.root, issue.path), issue.message, line ?? raw.line));
      ok = false;
    }
    if (!ok) continue;
    const body = envelope.body as Record<string, unknown>;
    for (const issue of ingestChecks(envelope.kind, body)) {
      const line = raw.locate([envelope.root, ...issue.path]) ?? raw.line;
      messages.push(
        documentError(
          [ref],
          `Error processing ${envelope.schema} '${envelope.name}' at ${formatPath(envelope.root, issue.path)}: ${issue.message}`,
          `Exception during document processing${line === null ? '' : ` (line ${line})`} - see Drydock Troubleshooting Guide for DD000`,
        ),
      );
      ok = false;
    }
    if (!ok) continue;
    documents.push({
      kind: envelope.kind,
      name: envelope.name,
      schema: envelope.schema,
      labels: envelope.labels,
      data: body,
      index: raw.index,
      line: raw.line,
    });
  }
  return { documents, messages, syntaxErrors };
}

/** Issues in the order they appear in the text, not the schema's key order. */
function byLine(raw: RawDocument, envelope: DesignEnvelope, issues: SchemaIssue[]): SchemaIssue[] {
  if (issues.length < 2 || raw.line === null) return issues;
  const line = (issue: SchemaIssue) => raw.locate([envelope.root, ...issue.path]) ?? 0;
  return issues
    .map((issue) => ({ issue, line: line(issue) }))
    .sort((a, b) => a.line - b.line)
    .map((x) => x.issue);
}

function checkBody(envelope: DesignEnvelope): SchemaIssue[] {
  if (envelope.body === undefined) return [{ path: [], message: `'${envelope.root}' is a required property` }];
  return validateDesignData(envelope.kind, envelope.body);
}
