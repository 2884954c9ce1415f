/**
 * Reads a request or response body up to a byte limit: a declared
 * Content-Length over the limit fails before reading, and a chunked or lying
 * body fails as soon as the count passes it, so an oversized body never sits
 * in memory. Shared by request bodies (413, 408 past REQUEST_BODY_TIMEOUT_MS)
 * and fetched designs (400).
 */
export class TooLarge extends Error {}

/** The whole body did not arrive within `timeoutMs`. */
export class BodyTimeout extends Error {}

export interface ReadLimitedOptions {
  /** A deadline for the whole body from the first read; a trickle counts against it too. */
  timeoutMs?: number;
}

/**
 * One read, or BodyTimeout at the deadline. The read is left pending rather
 * than cancelled: cancelling a Node request body destroys the socket, and
 * with it the 408 that should still go out.
 */
async function readBefore<T>(read: Promise<T>, deadline: number | undefined): Promise<T> {
  if (deadline === undefined) return read;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BodyTimeout()), Math.max(0, deadline - Date.now()));
  });
  try {
    return await Promise.race([read, timedOut]);
  } catch (err) {
    if (err instanceof BodyTimeout) read.catch(() => {});
    throw err;
  } finally {
    clearTimeout(timer);
  }
}

export async function readLimited(
  body: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  maxBytes: number,
  options: ReadLimitedOptions = {},
): Promise<Uint8Array> {
  const declared = Number(body.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await body.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!body.body) return new Uint8Array(0);
  const reader = body.body.getReader();
  const deadline = options.timeoutMs === undefined ? undefined : Date.now() + options.timeoutMs;
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await readBefore(reader.read(), deadline);
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  return concatBytes(chunks, total);
}

/** One buffer holding `chunks` in order; `total` is the sum of their lengths. */
export function concatBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
