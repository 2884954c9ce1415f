/**
 * A small LRU of compiled designs keyed by the SHA-256 of the design text.
 * Drydock caches by design_ref and never expires, so a changed document
 * behind the same ref is not seen; keying by content means the ref is always
 * fetched and a change always compiles anew. Entries are immutable results:
 * callers copy what they return, so a cached message list never grows
 * (Drydock appends the same messages again on every call).
 */
export class LruCache<V> {
  readonly #max: number;
  readonly #entries = new Map<string, V>();

  constructor(max: number) {
    this.#max = Math.max(0, max);
  }

  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    return value;
  }

  set(key: string, value: V): void {
    if (this.#max === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
