import { sha256Hex } from '../core/digest.ts';
import type { SiteModel, ValidationMessage } from './model.ts';
import type { LimitFailure } from './parse/limits.ts';
import type { LruCache } from './site-cache.ts';
import type { RuleContext } from './validators/rule.ts';
import type { Db } from '../db/types.ts';
import { ApiError } from '../core/errors.ts';
import type { SecretBox } from '../core/secret-box.ts';
import { designTextByHash } from './store.ts';
import type { DesignReader } from './reader.ts';

export interface ResolvedDesign {
  text: string;
  contentType: string | null;
  ref: string;
}

export interface DesignSource {
  resolve(ref: string): Promise<ResolvedDesign>;
  /**
   * The content hash of a ref when it can be known without reading the
   * design (design:// refs: the stored hash); null otherwise.
   */
  peek?(ref: string): Promise<string | null>;
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
  /** The rule context those findings were computed with (rulesKeyOf). */
  rulesKey?: string;
  /** The limit that refused the design, if one did. */
  limit?: LimitFailure;
}

export interface SiteDesignDeps {
  source: DesignSource;
  cache: LruCache<CompiledDesign>;
  /**
   * What the rules check against now (the node driver's images and kernels):
   * asked each time rules are wanted, so findings follow a changed catalogue.
   */
  ruleContext: () => Promise<RuleContext>;
  /** Parses, compiles and checks designs: in the request, or off the main thread. */
  reader: DesignReader;
  /** Opens pinned designs, which are stored sealed (they hold BMC credentials). */
  box: SecretBox;
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

/** Rule findings are reused only while the context they were computed with is the same. */
export const rulesKeyOf = (context: RuleContext) => JSON.stringify(context);

const hasRules = (d: CompiledDesign, rulesKey: string) => (d.ruleMessages !== undefined && d.rulesKey === rulesKey) || loadFailed(d);

/** The rule context, when rules are wanted. */
const rulesFor = async (deps: SiteDesignDeps, options: LoadOptions) => (options.rules ? await deps.ruleContext() : undefined);

/** The cached reading of this content, when it holds what the options ask for. */
function cachedFor(deps: SiteDesignDeps, contentHash: string, options: LoadOptions, rules: RuleContext | undefined): CompiledDesign | undefined {
  const cached = deps.cache.get(contentHash);
  const wantSite = options.site ?? true;
  if (cached && (!rules || hasRules(cached, rulesKeyOf(rules))) && (!wantSite || cached.site !== null || cached.limit)) return cached;
  return undefined;
}

/**
 * Resolves, parses and compiles a design_ref (with the rules when `rules`),
 * reusing a read of identical content. The result has a site unless
 * `site: false` was asked. A design:// ref whose content is cached is not
 * read at all (its stored hash is enough).
 */
export async function loadSite(deps: SiteDesignDeps, ref: string, options: LoadOptions = {}): Promise<CompiledDesign> {
  const peeked = deps.source.peek ? await deps.source.peek(ref) : null;
  const rules = await rulesFor(deps, options);
  const hit = peeked === null ? undefined : cachedFor(deps, peeked, options, rules);
  if (hit) return hit;
  return readWith(deps, await deps.source.resolve(ref), options, rules);
}

/**
 * A task's pinned design (tasks.design_content_hash): from the cache, else
 * from the designs table by its hash. Never the design_ref: what the task
 * pinned is what it keeps reading.
 */
export async function loadPinned(deps: SiteDesignDeps, db: Db, contentHash: string, options: LoadOptions = {}): Promise<CompiledDesign> {
  const rules = await rulesFor(deps, options);
  const hit = cachedFor(deps, contentHash, options, rules);
  if (hit) return hit;
  const stored = await designTextByHash(db, deps.box, contentHash);
  if (!stored) throw new Error(`the pinned design ${contentHash} is no longer stored`);
  const contentType = stored.format === 'json' ? 'application/json' : 'application/yaml';
  return readWith(deps, { text: stored.text, contentType, ref: `design content ${contentHash}` }, options, rules);
}

/** Parses and compiles resolved text, or takes its reading from the cache. */
export async function readDesign(deps: SiteDesignDeps, resolved: ResolvedDesign, options: LoadOptions = {}): Promise<CompiledDesign> {
  return readWith(deps, resolved, options, await rulesFor(deps, options));
}

async function readWith(deps: SiteDesignDeps, resolved: ResolvedDesign, options: LoadOptions, wanted: RuleContext | undefined): Promise<CompiledDesign> {
  const wantSite = options.site ?? true;
  const contentHash = await sha256Hex(resolved.text);
  const hit = cachedFor(deps, contentHash, options, wanted);
  if (hit) return hit;
  const cached = deps.cache.get(contentHash);
  // A new read keeps what the cached one had, so the cache never loses a site or rule findings.
  const rules = wanted ?? (cached?.ruleMessages ? await deps.ruleContext() : undefined);
  const reading = await deps.reader.read({
    text: resolved.text,
    format: designFormatOf(resolved),
    rules,
    site: wantSite || (cached?.site ?? null) !== null,
  });
  const entry: CompiledDesign = {
    contentHash,
    site: reading.site,
    loadMessages: reading.loadMessages,
    ruleMessages: reading.ruleMessages,
    rulesKey: rules && reading.ruleMessages ? rulesKeyOf(rules) : undefined,
    limit: reading.limit,
  };
  if (!reading.limit || !TRANSIENT_LIMITS.has(reading.limit.limit)) deps.cache.set(contentHash, entry);
  return entry;
}

/** How resolved text is parsed (and stored, when a task pins it). */
export const designFormatOf = (d: ResolvedDesign): 'json' | 'yaml' => (looksLikeJson(d) ? 'json' : 'yaml');

export interface ValidationReport {
  valid: boolean;
  messages: ValidationMessage[];
}

/** Drydock's get_effective_site + validate_design: load findings, then every rule. */
export async function validateDesign(deps: SiteDesignDeps, ref: string): Promise<ValidationReport> {
  return validationReport(await loadSite(deps, ref, { rules: true, site: false }));
}

/** A design read with `rules: true`, as a validation report. */
export function validationReport(design: CompiledDesign): ValidationReport {
  // Rules read the compiled model; on a design that did not load they would
  // only repeat the load errors in other words, so they are skipped.
  const messages = [...design.loadMessages, ...(loadFailed(design) ? [] : (design.ruleMessages ?? []))];
  return { valid: !messages.some((m) => m.error), messages };
}

/** The compiled site for node filters and tasks; 400 when the design does not load. */
export async function effectiveSite(deps: SiteDesignDeps, ref: string): Promise<SiteModel> {
  return siteOrThrow(await loadSite(deps, ref), ref);
}

/** The site of a design that loaded; 400 naming `ref` (its limit or load errors) otherwise. */
export function siteOrThrow(design: CompiledDesign, ref: string): SiteModel {
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
