/**
 * http:// and https:// refs. Credentials in the URL (user:password@) become
 * a Basic Authorization header, as Drydock's requests call did; fetch()
 * refuses URLs that carry credentials, and they must never be echoed.
 */
import { fetchDesign } from './http.ts';
import { decodeDesign, refError, type ResolveContext, type ResolvedDesign } from './types.ts';

/** Parses an http(s) URL, taking its credentials out of it. */
export function parseHttpUrl(ctx: ResolveContext, text: string): { url: URL; user: string | null; password: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refError(ctx.shown, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw refError(ctx.shown, 'not an http(s) URL');
  const user = url.username === '' && url.password === '' ? null : safeDecode(url.username);
  const password = safeDecode(url.password);
  url.username = '';
  url.password = '';
  url.hash = '';
  return { url, user, password };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** RFC 7617: base64 of the UTF-8 bytes of user:password. */
export function basicAuth(user: string, password: string): string {
  let binary = '';
  for (const b of new TextEncoder().encode(`${user}:${password}`)) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

export async function resolveWeb(ctx: ResolveContext): Promise<ResolvedDesign> {
  const { url, user, password } = parseHttpUrl(ctx, ctx.ref);
  const headers: Record<string, string> = {};
  if (user !== null) headers.authorization = basicAuth(user, password);
  const fetched = await fetchDesign(ctx, url, headers);
  return { text: decodeDesign(ctx, fetched.bytes), contentType: fetched.contentType, ref: ctx.shown };
}
