import { sha256Hex } from '../auth/digest.ts';
import { compileSite } from '../design/compile/index.ts';
import type { SiteModel, ValidationMessage } from '../design/model.ts';
import { parseDesign } from '../design/parse/documents.ts';
import type { LruCache } from '../design/site-cache.ts';
import { validateSite } from '../design/validators/index.ts';
import type { RuleContext } from '../design/validators/rule.ts';
import { ApiError } from '../errors.ts';

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
  site: SiteModel;
  /** Parse, schema and compile findings (DD001, DD002). */
  loadMessages: readonly ValidationMessage[];
  /** The design rules' findings, computed on first use. */
  ruleMessages?: readonly ValidationMessage[];
}

export interface SiteDesignDeps {
  source: DesignSource;
  cache: LruCache<CompiledDesign>;
  ruleContext: RuleContext;
}

const looksLikeJson = (d: ResolvedDesign) =>
  /json/i.test(d.contentType ?? '') || d.text.trimStart().startsWith('[');

/** Resolves, parses and compiles a design_ref, reusing a compile of identical content. */
export async function loadSite(deps: SiteDesignDeps, ref: string): Promise<CompiledDesign> {
  const resolved = await deps.source.resolve(ref);
  const contentHash = await sha256Hex(resolved.text);
  const cached = deps.cache.get(contentHash);
  if (cached) return cached;
  const parsed = parseDesign(resolved.text, looksLikeJson(resolved) ? 'json' : 'yaml');
  const compiled = compileSite(parsed.documents);
  const entry: CompiledDesign = {
    contentHash,
    site: compiled.site,
    loadMessages: [...parsed.messages, ...compiled.messages],
  };
  deps.cache.set(contentHash, entry);
  return entry;
}

export interface ValidationReport {
  valid: boolean;
  messages: ValidationMessage[];
}

/** Drydock's get_effective_site + validate_design: load findings, then every rule. */
export async function validateDesign(deps: SiteDesignDeps, ref: string): Promise<ValidationReport> {
  const design = await loadSite(deps, ref);
  const loadFailed = design.loadMessages.some((m) => m.error);
  // Rules read the compiled model; on a design that did not load they would
  // only repeat the load errors in other words, so they are skipped.
  if (!loadFailed && !design.ruleMessages) design.ruleMessages = validateSite(design.site, deps.ruleContext);
  const messages = [...design.loadMessages, ...(loadFailed ? [] : (design.ruleMessages ?? []))];
  return { valid: !messages.some((m) => m.error), messages };
}

/** The compiled site for node filters and tasks; 400 when the design does not load. */
export async function effectiveSite(deps: SiteDesignDeps, ref: string): Promise<SiteModel> {
  const design = await loadSite(deps, ref);
  const errors = design.loadMessages.filter((m) => m.error);
  if (errors.length > 0) {
    throw new ApiError('BadRequest', `Design ${ref} could not be loaded: ${errors.length} error(s)`, {
      details: errors.map((m) => ({ message: m.message, error: true, name: m.name, docs: m.docs })),
    });
  }
  return design.site;
}
