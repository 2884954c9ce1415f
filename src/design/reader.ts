import type { Config } from '../core/config.ts';
import { compileSite } from './compile/index.ts';
import type { SiteModel, ValidationMessage } from './model.ts';
import { parseDesign } from './parse/documents.ts';
import { deadlineFor, DesignLimitExceeded, type DesignLimits, type LimitFailure } from './parse/limits.ts';
import { documentError } from './parse/messages.ts';
import { validateSite } from './validators/index.ts';
import type { RuleContext } from './validators/rule.ts';

export type DesignFormat = 'yaml' | 'json';

export interface ReadRequest {
  text: string;
  format: DesignFormat;
  /** Run the design rules too (when the design loads); their driver facts. */
  rules?: RuleContext;
  /**
   * Return the compiled site (default true). Callers that need only the
   * messages say false: a large site model costs the main thread its
   * structured clone (about 60 µs a node, bench/README.md).
   */
  site?: boolean;
}

/**
 * A design read: parsed, compiled and (when asked) checked by the rules.
 * Plain data (Maps, arrays, objects), so it crosses a worker boundary by
 * structured clone unchanged.
 */
export interface DesignReading {
  /** Null when the request asked for messages only. */
  site: SiteModel | null;
  /** Parse, schema and compile findings (DD000, DD001, DD002). */
  loadMessages: ValidationMessage[];
  /** The subset of loadMessages saying the text is not YAML/JSON. */
  syntaxErrors: ValidationMessage[];
  /** Present when the rules ran. */
  ruleMessages?: ValidationMessage[];
  /** Set when a limit refused the design; loadMessages then holds only its message. */
  limit?: LimitFailure;
}

/**
 * Reads designs: in the request on Workers and in tests, in a worker thread
 * with a memory limit and a deadline on Node and Deno (runtime/design-worker).
 */
export interface DesignReader {
  read(request: ReadRequest): Promise<DesignReading>;
}

/** The whole read in the calling thread; the deadline is checked between documents and phases. */
export function readDesignNow(request: ReadRequest, limits: DesignLimits): DesignReading {
  const deadline = deadlineFor(limits.timeoutMs);
  try {
    const parsed = parseDesign(request.text, request.format, { limits, deadline });
    deadline();
    const compiled = compileSite(parsed.documents);
    const loadMessages = [...parsed.messages, ...compiled.messages];
    const reading: DesignReading = {
      site: request.site === false ? null : compiled.site,
      loadMessages,
      syntaxErrors: parsed.syntaxErrors,
    };
    // Rules on a design that did not load would only repeat its load errors in other words.
    if (request.rules && !loadMessages.some((m) => m.error)) {
      deadline();
      reading.ruleMessages = validateSite(compiled.site, request.rules);
    }
    return reading;
  } catch (err) {
    if (err instanceof DesignLimitExceeded) return refusedReading(err.failure);
    throw err;
  }
}

/** The reading of a design that a limit refused. */
export function refusedReading(failure: LimitFailure): DesignReading {
  const message = documentError([], failure.message, `Simplify the design, or raise ${failure.setting}`);
  return { site: null, loadMessages: [message], syntaxErrors: [message], limit: failure };
}

export function inRequestReader(limits: DesignLimits): DesignReader {
  return { read: async (request) => readDesignNow(request, limits) };
}

export function designLimitsOf(config: Config): DesignLimits {
  return {
    maxDepth: config.DESIGN_MAX_DEPTH,
    maxNodes: config.DESIGN_MAX_NODES,
    maxAliases: config.DESIGN_MAX_ALIASES,
    timeoutMs: config.DESIGN_PARSE_TIMEOUT_MS,
  };
}
