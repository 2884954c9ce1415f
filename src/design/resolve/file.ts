/**
 * file:// refs: an absolute path on the server, read through the runtime's
 * readFile (Node/Deno). Workers have no file system, so there the answer
 * points at the design store instead.
 */
import { refError, isTimeout, tooLarge, decodeDesign, type ResolveContext, type ResolvedDesign } from './types.ts';

const NO_FILE_SYSTEM =
  'file:// design refs need a runtime with a file system (Node or Deno); ' +
  'store the design with POST /api/v1.0/designs and use design://<id>';

/** Error codes (Node) and names (Deno) worth telling the client; anything else is generic. */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  NotFound: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  PermissionDenied: 'permission denied',
  EISDIR: 'is a directory',
  IsADirectory: 'is a directory',
};

function contentTypeOf(path: string): string | null {
  if (/\.json$/i.test(path)) return 'application/json';
  if (/\.ya?ml$/i.test(path)) return 'application/yaml';
  return null;
}

/** The absolute path a file ref names; Drydock also took relative paths (file:design.yaml), we do not. */
function pathOf(ctx: ResolveContext): string {
  const m = /^file:\/\/(?:localhost)?(\/[^?#]*)$/i.exec(ctx.ref);
  let path: string | undefined;
  try {
    path = m?.[1] && decodeURIComponent(m[1]);
  } catch {}
  if (!path || path.includes('\0')) {
    throw refError(ctx.shown, 'a file ref must name an absolute path on this server, as file:///path/to/design.yaml');
  }
  return path;
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export async function resolveFile(ctx: ResolveContext): Promise<ResolvedDesign> {
  const { readFile, maxBytes, timeoutMs } = ctx.deps;
  if (!readFile) throw refError(ctx.shown, NO_FILE_SYSTEM);
  const path = pathOf(ctx);
  let bytes: Uint8Array;
  try {
    bytes = await raceSignal(readFile(path, { maxBytes, signal: ctx.signal }), ctx.signal);
  } catch (err) {
    if (isTimeout(err)) throw refError(ctx.shown, `timed out after ${timeoutMs} ms`);
    const e = err as { code?: unknown; name?: unknown } | null;
    const why = READ_ERRORS[String(e?.code)] ?? READ_ERRORS[String(e?.name)] ?? 'the file could not be read';
    throw refError(ctx.shown, why);
  }
  if (bytes.byteLength > maxBytes) throw refError(ctx.shown, tooLarge(maxBytes));
  return { text: decodeDesign(ctx, bytes), contentType: contentTypeOf(path), ref: ctx.shown };
}
