/** A relabel failure whose message is safe to show (no token, names the setting to change). */
export class RelabelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RelabelError';
  }
}

export interface Reply {
  status: number;
  body: Record<string, unknown> | null;
}

// A Node object is a few kilobytes (its images list can reach a few hundred).
const MAX_BODY_CHARS = 4 * 1_048_576;

/** Why a fetch threw, bounded by `timeoutMs` and naming the settings involved. */
function unreachable(err: unknown, peer: string, timeoutMs: number, caSetting: string): RelabelError {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
    return new RelabelError(`${peer}: no answer within ${timeoutMs} ms (KUBERNETES_REQUEST_TIMEOUT_MS): unreachable or too slow`);
  }
  const code = e?.cause?.code ?? '';
  const why = [code, e?.cause?.message ?? e?.message].filter(Boolean).join(' ') || String(err);
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ALTNAME|certificate/i.test(why)) {
    return new RelabelError(`${peer}: its TLS certificate is not trusted (${why}): put its CA in ${caSetting}`);
  }
  return new RelabelError(`${peer}: could not connect (${why})`);
}

/** One request, connecting and reading included within `timeoutMs`; the body parsed when JSON. */
export async function request(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  opts: { peer: string; timeoutMs: number; caSetting: string },
): Promise<Reply> {
  const signal = AbortSignal.timeout(opts.timeoutMs);
  let text: string;
  let status: number;
  try {
    const res = await fetchFn(url, { ...init, redirect: 'manual', signal });
    status = res.status;
    text = await res.text();
  } catch (err) {
    throw unreachable(err, opts.peer, opts.timeoutMs, opts.caSetting);
  }
  if (text.length > MAX_BODY_CHARS) throw new RelabelError(`${opts.peer}: an answer larger than ${MAX_BODY_CHARS} characters`);
  let body: Reply['body'] = null;
  try {
    const value = JSON.parse(text) as unknown;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) body = value as Reply['body'];
  } catch {}
  return { status, body };
}

/** What a Kubernetes or Airship Status object says: its message, else its reason. */
export function statusText(reply: Reply): string {
  const m = reply.body?.message;
  const r = reply.body?.reason;
  const text = (typeof m === 'string' && m) || (typeof r === 'string' && r) || '';
  return text ? `HTTP ${reply.status}: ${text.slice(0, 300)}` : `HTTP ${reply.status}`;
}
