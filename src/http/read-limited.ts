/**
 * Reads a request or response body up to a byte limit: a declared
 * Content-Length over the limit fails before reading, and a chunked or lying
 * body fails as soon as the count passes it, so an oversized body never sits
 * in memory. Shared by request bodies (413) and fetched designs (400).
 */
export class TooLarge extends Error {}

export async function readLimited(
  body: { headers: Headers; body: ReadableStream<Uint8Array> | null },
  maxBytes: number,
): Promise<Uint8Array> {
  const declared = Number(body.headers.get('content-length') ?? '0');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await body.body?.cancel().catch(() => {});
    throw new TooLarge();
  }
  if (!body.body) return new Uint8Array(0);
  const reader = body.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new TooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
