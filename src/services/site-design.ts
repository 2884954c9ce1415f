import { sha256Hex } from '../auth/digest.ts';
import type { SiteModel, ValidationMessage } from '../design/model.ts';
import type { LimitFailure } from '../design/parse/limits.ts';
import type { LruCache } from '../design/site-cache.ts';
import type { RuleContext } from '../design/validators/rule.ts';
import { ApiError } from '../errors.ts';
import type { DesignReader } from './design-reader.ts';

export interface ResolvedDesign {
  text: string;
  contentType: string | null;
  ref: string;
}

export interface DesignSource {
  resolve(ref: string): Promise<ResolvedDesign>;
}

/** A compiled design; immutable once cached. */
export interface CompiledDesign {
  contentHash: string;
  /** Null when only the messages were read (validation); loadSite reads it again when asked. */
  site: SiteModel | null;
  /** Parse, schema and compile findings (DD001, DD002). */
  loadMessages: readonly ValidationMessage[];
  /** The design rules' findings, computed on first use. */
  ruleMessages?: readonly ValidationMessage[];
  /** The limit that refused the design, if one did. */
  limit?: LimitFailure;
}

export interface SiteDesignDeps {
  source: DesignSource;
  cache: LruCache<CompiledDesign>;
  ruleContext: RuleContext;
  /** Parses, compiles and checks designs: in the request, or off the main thread. */
  reader: DesignReader;
}

const looksLikeJson = (d: ResolvedDesign) =>
  /json/i.test(d.contentType ?? '') || d.text.trimStart().startsWith('[');

const loadFailed = (design: CompiledDesign) => design.loadMessages.some((m) => m.error);

/** Time and memory depend on the moment's load, so a refusal for them is not remembered. */
const TRANSIENT_LIMITS = new Set(['time', 'memory']);

export interface LoadOptions {
  /** Run the design rules too. */
  rules?: boolean;
  /** Return the compiled site (default true); false when only messages are wanted. */
  site?: boolean;
}

/**
 * Resolves, parses and compiles a design_ref (with the rules when `rules`),
 * reusing a read of identical content. The result has a site unless
 * `site: false` was asked.
 */
export async function loadSite(deps: SiteDesignDeps, ref: string, options: LoadOptions = {}): Promise<CompiledDesign> {
  const wantSite = options.site ?? true;
  const resolved = await deps.source.resolve(ref);
  const contentHash = await sha256Hex(resolved.text);
  const cached = deps.cache.get(contentHash);
  const hasRules = (d: CompiledDesign) => d.ruleMessages !== undefined || loadFailed(d);
  if (cached && (!options.rules || hasRules(cached)) && (!wantSite || cached.site !== null || cached.limit)) return cached;
  // A new read keeps what the cached one had, so the cache never loses a site or rule findings.
  const reading = await deps.reader.read({
    text: resolved.text,
    format: looksLikeJson(resolved) ? 'json' : 'yaml',
    rules: options.rules || (cached && cached.ruleMessages) ? deps.ruleContext : undefined,
    site: wantSite || (cached?.site ?? null) !== null,
  });
  const entry: CompiledDesign = {
    contentHash,
    site: reading.site,
    loadMessages: reading.loadMessages,
    ruleMessages: reading.ruleMessages,
    limit: reading.limit,
  };
  if (!reading.limit || !TRANSIENT_LIMITS.has(reading.limit.limit)) deps.cache.set(contentHash, entry);
  return entry;
}

export interface ValidationReport {
  valid: boolean;
  messages: ValidationMessage[];
}

/** Drydock's get_effective_site + validate_design: load findings, then every rule. */
export async function validateDesign(deps: SiteDesignDeps, ref: string): Promise<ValidationReport> {
  const design = await loadSite(deps, ref, { rules: true, site: false });
  // Rules read the compiled model; on a design that did not load they would
  // only repeat the load errors in other words, so they are skipped.
  const messages = [...design.loadMessages, ...(loadFailed(design) ? [] : (design.ruleMessages ?? []))];
  return { valid: !messages.some((m) => m.error), messages };
}

/** The compiled site for node filters and tasks; 400 when the design does not load. */
export async function effectiveSite(deps: SiteDesignDeps, ref: string): Promise<SiteModel> {
  const design = await loadSite(deps, ref);
  if (design.limit) {
    throw new ApiError('BadRequest', `Design ${ref} could not be loaded: ${design.limit.message}`, {
      details: [{ message: design.limit.message, error: true, limit: design.limit.setting }],
    });
  }
  const errors = design.loadMessages.filter((m) => m.error);
  if (errors.length > 0) {
    throw new ApiError('BadRequest', `Design ${ref} could not be loaded: ${errors.length} error(s)`, {
      details: errors.map((m) => ({ message: m.message, error: true, name: m.name, documents: m.documents })),
    });
  }
  return requireSite(design);
}

/** The site of a design loaded with a site (loadSite's default). */
export function requireSite(design: CompiledDesign): SiteModel {
  if (!design.site) throw new Error('design loaded without its site');
  return design.site;
}
