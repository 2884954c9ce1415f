/**
 * deckhand+http(s):// and promenade+http(s):// refs: the URL without the
 * service prefix, fetched with the service's Keystone token, as Drydock's
 * Keystone session did. Drydock knew only the +http forms; +https is the same
 * with TLS.
 */
import { ApiError } from '../../core/errors.ts';
import { fetchDesign } from './http.ts';
import { parseHttpUrl } from './web.ts';
import { decodeDesign, refError, type ResolveContext, type ResolvedDesign } from './types.ts';

export const AIRSHIP_SCHEMES = ['deckhand+http', 'deckhand+https', 'promenade+http', 'promenade+https'];

export async function resolveAirship(ctx: ResolveContext): Promise<ResolvedDesign> {
  const scheme = ctx.ref.slice(0, ctx.ref.indexOf(':')).toLowerCase();
  // Any user:password@ is dropped: these services authenticate the Keystone token.
  const { url } = parseHttpUrl(ctx, ctx.ref.replace(/^[a-z]+\+/i, ''));
  const getToken = ctx.deps.serviceToken;
  if (!getToken) {
    throw refError(ctx.shown, `${scheme}:// refs need Keystone (AUTH_MODE=keystone) to obtain a service token`);
  }
  let token: string;
  try {
    token = await getToken();
  } catch (err) {
    // ApiError messages are written to be safe to show; anything else is not.
    const why = err instanceof ApiError ? err.message : 'unexpected error';
    throw refError(ctx.shown, `could not obtain a Keystone service token: ${why}`);
  }
  const fetched = await fetchDesign(ctx, url, { 'x-auth-token': token });
  return { text: decodeDesign(ctx, fetched.bytes), contentType: fetched.contentType, ref: ctx.shown };
}
