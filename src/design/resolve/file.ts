/**
 * file:// refs: a path on the server below DESIGN_FILE_ROOT, read through the
 * runtime's reader (Node/Deno). Off until an operator sets the root, since
 * any file the process can read (its admin token, node keys,
 * /proc/self/environ) would otherwise be one design_ref away. Workers have
 * no file system, so there the answer points at the design store instead.
 */
import { FileRefused, refError, isTimeout, tooLarge, decodeDesign, type ResolveContext, type ResolvedDesign } from './types.ts';

const USE_STORE = 'store the design with POST /api/v1.0/designs and use design://<id>';
const NO_FILE_SYSTEM = `file:// design refs need a runtime with a file system (Node or Deno); ${USE_STORE}`;
const NO_ROOT =
  'file:// design refs are off on this server (an operator enables them for one folder with DESIGN_FILE_ROOT); ' + USE_STORE;
const OUTSIDE = 'outside DESIGN_FILE_ROOT';

/**
 * Error codes (Node) and names (Deno) worth telling the client; anything else
 * is generic. None of them says anything about a file outside the root: those
 * are refused before the file system is asked.
 */
const READ_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  ENOTDIR: 'no such file',
  NotFound: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  PermissionDenied: 'permission denied',
  EISDIR: 'not a regular file',
  IsADirectory: 'not a regular file',
  // O_NOFOLLOW met a symlink swapped in after the checks.
  ELOOP: 'not a regular file',
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

/** `.` and `..` folded away, without the file system (node:path is not on Workers). */
function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return '/' + parts.join('/');
}

function isWithin(path: string, root: string): boolean {
  const base = normalize(root);
  return base === '/' || path === base || path.startsWith(base + '/');
}

function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function reasonFor(err: unknown, ctx: ResolveContext): string {
  if (isTimeout(err)) return `timed out after ${ctx.deps.timeoutMs} ms`;
  if (err instanceof FileRefused) {
    return { 'outside-root': OUTSIDE, 'not-regular': 'not a regular file', 'too-large': tooLarge(ctx.deps.maxBytes) }[err.why];
  }
  const e = err as { code?: unknown; name?: unknown } | null;
  return READ_ERRORS[String(e?.code)] ?? READ_ERRORS[String(e?.name)] ?? 'the file could not be read';
}

export async function resolveFile(ctx: ResolveContext): Promise<ResolvedDesign> {
  const { readFile, fileRoot, maxBytes } = ctx.deps;
  if (!readFile) throw refError(ctx.shown, NO_FILE_SYSTEM);
  if (!fileRoot) throw refError(ctx.shown, NO_ROOT);
  const path = normalize(pathOf(ctx));
  // Refused before any file system call, so the answer tells nothing about
  // what exists outside the root; the reader checks again after symlinks.
  if (!isWithin(path, fileRoot)) throw refError(ctx.shown, OUTSIDE);
  let bytes: Uint8Array;
  try {
    bytes = await raceSignal(readFile(path, { root: fileRoot, maxBytes, signal: ctx.signal }), ctx.signal);
  } catch (err) {
    throw refError(ctx.shown, reasonFor(err, ctx));
  }
  if (bytes.byteLength > maxBytes) throw refError(ctx.shown, tooLarge(maxBytes));
  return { text: decodeDesign(ctx, bytes), contentType: contentTypeOf(path), ref: ctx.shown };
}
