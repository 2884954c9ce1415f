/**
 * What design validation can know about an asset before any node asks:
 * every pipeline segment before the first `template` depends only on the
 * design (base64_decode of inline data, utf8_decode, …), so it is run, and
 * the text reaching `template` is parsed. A failure there would fail every
 * node's request. Segments after a template depend on the node; they are
 * left to render time. Unknown segments are the schema's to report.
 *
 * Two Jinja2 habits are valid Liquid with another meaning; they are warned
 * about: `{# … #}` (Liquid prints it) and `loop.index` (Liquid's is
 * `forloop.index`; `loop` is undefined and prints nothing).
 */
import { parseTemplate } from './engine.ts';
import { decodeUtf8, encodeUtf8, runSegment, SegmentError, SEGMENTS, type PipelineValue } from './pipeline.ts';

/** The fields of a design's boot action asset that this check reads (design/model.ts BootActionAsset has them). */
export interface TemplatedAsset {
  type: string | null;
  data: string | null;
  dataPipeline: readonly string[];
  location: string | null;
  locationPipeline: readonly string[];
}

export interface StaticFindings {
  error: string | null;
  warnings: string[];
}

const KNOWN = new Set<string>(SEGMENTS);
const JINJA_COMMENT = /\{#[\s\S]*?#\}/;
const JINJA_LOOP = /(?<![\w.$])loop\.(?:index0?|revindex0?|first|last|length|cycle|previtem|nextitem)\b/;

function templateFindings(field: string, text: string): StaticFindings {
  try {
    parseTemplate(text);
  } catch (err) {
    return { error: `${field} template syntax error: ${(err as Error).message}`, warnings: [] };
  }
  const warnings: string[] = [];
  if (JINJA_COMMENT.test(text)) {
    warnings.push(`${field} template has a Jinja2 comment {# … #}, which Liquid writes out as text; use {% comment %}…{% endcomment %}`);
  }
  if (JINJA_LOOP.test(text)) {
    warnings.push(`${field} template uses Jinja2's loop.*, which is empty in Liquid; use forloop.* (forloop.index, forloop.first, …)`);
  }
  return { error: null, warnings };
}

function checkPipeline(field: string, start: PipelineValue, pipeline: readonly string[]): StaticFindings {
  let value = start;
  for (const segment of pipeline) {
    if (!KNOWN.has(segment)) break;
    if (segment === 'template') {
      if (typeof value === 'string') return templateFindings(field, value);
      try {
        return templateFindings(field, decodeUtf8(value));
      } catch {
        return { error: `${field} segment template failed: the data is not valid UTF-8`, warnings: [] };
      }
    }
    try {
      value = runSegment(segment, value, null);
    } catch (err) {
      if (err instanceof SegmentError) return { error: `${field} segment ${segment} failed: ${err.message}`, warnings: [] };
      throw err;
    }
  }
  return { error: null, warnings: [] };
}

/** What a node's request would meet in this asset's inline templates and static segments. */
export function staticAssetFindings(asset: TemplatedAsset): StaticFindings {
  if (asset.location !== null) return checkPipeline('location_pipeline', asset.location, asset.locationPipeline);
  if (asset.type === 'pkg_list' || asset.data === null) return { error: null, warnings: [] };
  return checkPipeline('data_pipeline', encodeUtf8(asset.data), asset.dataPipeline);
}
