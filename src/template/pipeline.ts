/**
 * Drydock's asset pipelines. A value is bytes (Uint8Array) or text (string),
 * as in Drydock where it is Python bytes or str; each segment takes the type
 * Python's function takes:
 *   base64_decode  bytes or ASCII text -> bytes (lenient, as b64decode)
 *   base64_encode  bytes (or text, as UTF-8) -> bytes
 *   utf8_decode    bytes -> text (strict; a BOM is kept, as Python's 'utf-8')
 *   utf8_encode    text -> bytes
 *   template       text -> text
 * Inline `data` enters as its UTF-8 bytes, a fetched location as the bytes
 * received; text left at the end is written as UTF-8.
 *
 * Two Drydock bugs fixed, both in the pipeline its documentation shows
 * (base64_decode, template, base64_encode): Jinja2 turned a bytes template
 * into its Python repr (`b'...'`) before rendering, so a template not
 * preceded by utf8_decode produced `b'...'` around the output; and
 * base64_encode refused the text a template produces (TypeError). Here
 * `template` reads bytes as UTF-8 text and base64_encode takes text as its
 * UTF-8 bytes.
 */
import { base64Decode, base64DecodeText, base64Encode } from './base64.ts';
import { renderTemplate } from './engine.ts';

export type PipelineValue = Uint8Array | string;

export const SEGMENTS = ['base64_decode', 'base64_encode', 'utf8_decode', 'utf8_encode', 'template'] as const;

/** A segment failed; `segment` names it, the message says why (never with a key in it). */
export class SegmentError extends Error {
  constructor(readonly segment: string, reason: string) {
    super(reason);
  }
}

const utf8Decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();

export function decodeUtf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

export function encodeUtf8(text: string): Uint8Array {
  return utf8Encoder.encode(text);
}

function needsBytes(segment: string, value: PipelineValue): Uint8Array {
  if (typeof value !== 'string') return value;
  throw new SegmentError(segment, `${segment} needs bytes but got text (add utf8_encode before it)`);
}

function needsText(segment: string, value: PipelineValue): string {
  if (typeof value === 'string') return value;
  throw new SegmentError(segment, `${segment} needs text but got bytes (add utf8_decode before it)`);
}

function toText(segment: string, bytes: Uint8Array): string {
  try {
    return decodeUtf8(bytes);
  } catch {
    throw new SegmentError(segment, 'the data is not valid UTF-8');
  }
}

/** Runs one segment. `context` is the template context; without one, `template` is not allowed. */
export function runSegment(segment: string, value: PipelineValue, context: object | null): PipelineValue {
  switch (segment) {
    case 'base64_decode':
      try {
        return typeof value === 'string' ? base64DecodeText(value) : base64Decode(value);
      } catch (err) {
        throw new SegmentError(segment, (err as Error).message);
      }
    case 'base64_encode':
      return base64Encode(typeof value === 'string' ? encodeUtf8(value) : value);
    case 'utf8_decode':
      return toText(segment, needsBytes(segment, value));
    case 'utf8_encode':
      return encodeUtf8(needsText(segment, value));
    case 'template': {
      if (context === null) throw new SegmentError(segment, 'template needs a context');
      const text = typeof value === 'string' ? value : toText(segment, value);
      try {
        return renderTemplate(text, context);
      } catch (err) {
        throw new SegmentError(segment, `template error: ${(err as Error).message}`);
      }
    }
    default:
      throw new SegmentError(segment, `unknown pipeline segment ${segment}`);
  }
}

export function executePipeline(value: PipelineValue, pipeline: readonly string[], context: object): PipelineValue {
  let current = value;
  for (const segment of pipeline) current = runSegment(segment, current, context);
  return current;
}

/** The bytes a pipeline's result stands for: text is written as UTF-8. */
export function toBytes(value: PipelineValue): Uint8Array {
  return typeof value === 'string' ? encodeUtf8(value) : value;
}
