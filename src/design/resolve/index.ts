/**
 * Turns a Drydock design_ref into the design's text. One module per scheme:
 *   http(s)://[user:password@]host/…        web.ts (Basic auth)
 *   deckhand+http(s)://, promenade+http(s)://  airship.ts (Keystone token)
 *   file:///absolute/path                    file.ts (Node/Deno only)
 *   design://<id>                            stored.ts (the designs table)
 * Every failure is a 400 naming the ref with its credentials masked.
 * Unlike Drydock, results are not cached here (it kept them for 180 s): the
 * caller caches compiled sites by content hash instead.
 */
import { resolveAirship, AIRSHIP_SCHEMES } from './airship.ts';
import { resolveFile } from './file.ts';
import { redactRef } from './redact.ts';
import { peekStored, resolveStored } from './stored.ts';
import { refError, type DesignResolverDeps, type ResolveContext, type ResolvedDesign } from './types.ts';
import { resolveWeb } from './web.ts';

export type { DesignResolverDeps, ReadFileLimits, ResolvedDesign } from './types.ts';
export { FileRefused } from './types.ts';
export { redactRef } from './redact.ts';

export interface DesignResolver {
  resolve(ref: string): Promise<ResolvedDesign>;
  /** The content hash of a design:// ref, read without its text; null for any other ref. */
  peek(ref: string): Promise<string | null>;
}

/** Longer refs are refused before any parsing (they also bloat error messages). */
const MAX_REF_LENGTH = 8192;
const SUPPORTED = 'http(s)://, deckhand+http(s)://, promenade+http(s)://, file:/// or design://';

type SchemeHandler = (ctx: ResolveContext) => Promise<ResolvedDesign>;

// A Map, so a scheme such as constructor: cannot reach Object.prototype.
const HANDLERS = new Map<string, SchemeHandler>([
  ['http', resolveWeb],
  ['https', resolveWeb],
  ['file', resolveFile],
  ['design', resolveStored],
  ...AIRSHIP_SCHEMES.map((s): [string, SchemeHandler] => [s, resolveAirship]),
]);

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createDesignResolver(deps: DesignResolverDeps): DesignResolver {
  const settings: ResolveContext['deps'] = {
    ...deps,
    retries: Math.max(0, deps.retries ?? 2),
    backoffMs: Math.max(0, deps.backoffMs ?? 200),
    sleep: deps.sleep ?? defaultSleep,
  };
  return {
    peek: (ref) => peekStored(ref, settings),
    async resolve(input) {
      const ref = input.trim();
      if (ref === '') throw refError('(empty)', 'a design_ref is required');
      if (ref.length > MAX_REF_LENGTH) throw refError('(too long)', `a design_ref may be at most ${MAX_REF_LENGTH} characters`);
      const shown = redactRef(ref);
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(ref)?.[1]?.toLowerCase();
      if (!scheme) throw refError(shown, `not a URI; use ${SUPPORTED}`);
      const handler = HANDLERS.get(scheme);
      if (!handler) throw refError(shown, `unsupported scheme ${scheme}:; use ${SUPPORTED}`);
      return handler({ ref, shown, signal: AbortSignal.timeout(settings.timeoutMs), deps: settings });
    },
  };
}
