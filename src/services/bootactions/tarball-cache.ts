/**
 * Rendered boot action tarballs, kept per process or isolate by their
 * content address (tarball-address.ts): the same address always renders the
 * same bytes, so a hit answers without loading the design, rendering or
 * compressing anything. Bounded by the bytes it holds (least recently used
 * first out); an entry may also carry an expiry (a tarball with a `location`
 * asset, whose content lives elsewhere, is kept only briefly).
 */
export interface Tarball {
  bytes: Uint8Array<ArrayBuffer>;
  /** The strong ETag (quoted SHA-256 of the bytes). */
  etag: string;
}

interface Entry extends Tarball {
  /** Epoch ms after which the entry is not served; null: until evicted. */
  expires: number | null;
}

export class TarballCache {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = Math.max(0, maxBytes);
  }

  get(address: string, now: number): Tarball | undefined {
    const entry = this.#entries.get(address);
    if (!entry) return undefined;
    this.#entries.delete(address);
    if (entry.expires !== null && entry.expires <= now) {
      this.#bytes -= entry.bytes.byteLength;
      return undefined;
    }
    this.#entries.set(address, entry);
    return entry;
  }

  /** Keeps a tarball; `expires` null keeps it until evicted. One larger than a quarter of the cache is not kept. */
  set(address: string, tarball: Tarball, expires: number | null): void {
    const size = tarball.bytes.byteLength;
    if (size * 4 > this.#maxBytes) return;
    this.#drop(address);
    this.#entries.set(address, { ...tarball, expires });
    this.#bytes += size;
    for (const key of this.#entries.keys()) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#drop(key);
    }
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  #drop(address: string): void {
    const entry = this.#entries.get(address);
    if (!entry) return;
    this.#entries.delete(address);
    this.#bytes -= entry.bytes.byteLength;
  }
}
