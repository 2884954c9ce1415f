/**
 * A short memory of passed node key checks, so that a node fetching its boot
 * data again within a second or two needs no database read at all (two
 * reads were most of a cached tarball's cost: bench/README.md).
 *
 * It holds two facts, each for BOOTACTION_KEY_CHECK_MEMORY_MS at most:
 *
 * - host -> the digest of the node key that last opened its context, and
 *   that context (with its expiry, checked on every use);
 * - client address -> "was under its failure limit when last read".
 *
 * A hit needs both (or only the first for a client whose address is
 * unknown, which has no bucket). Everything else goes to the database as
 * before: a wrong key, an unknown host, a client not remembered.
 *
 * What this process changes it sees at once: a failure counted here forgets
 * the client (its next request reads its window, so the 429 before the
 * compare holds), and writing or deleting contexts forgets those hosts. A
 * generation counter closes the race where a check that read the old
 * context finishes after the write and would remember it again. What other
 * processes or isolates change (failures counted there, contexts replaced
 * by a Workers Queue consumer) is seen when the entry runs out.
 *
 * The memory is kept per database handle because its writers (the deploy
 * step, task retention) reach the database but not the request's services.
 */
import { digestsEqual } from '../../auth/digest.ts';
import type { NodeRecord } from './key-records.ts';

interface NodeEntry {
  digest: string;
  record: NodeRecord;
  /** The context's own expiry (epoch ms); null: none. */
  contextExpires: number | null;
  until: number;
}

/** Bounds each map: a fleet's worth of hosts, far below a Worker's memory. */
const MAX_ENTRIES = 20_000;

function bounded<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

export class KeyCheckMemory {
  readonly #nodes = new Map<string, NodeEntry>();
  readonly #clientsUnder = new Map<string, number>();
  #generation = 0;

  /** Taken before a database check; a remember with an older generation is dropped. */
  get generation(): number {
    return this.#generation;
  }

  /** The remembered context of `host` when `digest` is the key digest that opened it, still current at `now`. */
  node(host: string, digest: string, now: number): NodeRecord | undefined {
    const entry = this.#nodes.get(host);
    if (!entry) return undefined;
    if (entry.until <= now || (entry.contextExpires !== null && entry.contextExpires <= now)) {
      this.#nodes.delete(host);
      return undefined;
    }
    return digestsEqual(digest, entry.digest) ? entry.record : undefined;
  }

  /** Whether `bucket` was read under its limit less than the memory's time ago. */
  clientUnder(bucket: string, now: number): boolean {
    const until = this.#clientsUnder.get(bucket);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#clientsUnder.delete(bucket);
    return false;
  }

  remember(
    generation: number,
    entry: { host: string; digest: string; record: NodeRecord; contextExpires: number | null; client: string | null },
    now: number,
    ttlMs: number,
  ): void {
    if (ttlMs <= 0 || generation !== this.#generation) return;
    const until = now + ttlMs;
    bounded(this.#nodes, entry.host, { digest: entry.digest, record: entry.record, contextExpires: entry.contextExpires, until });
    if (entry.client !== null) bounded(this.#clientsUnder, entry.client, until);
  }

  /** A failure was counted for these buckets: their next request reads the window. */
  forgetClients(buckets: readonly string[]): void {
    for (const bucket of buckets) this.#clientsUnder.delete(bucket);
  }

  /** These hosts' contexts were written or deleted; null: any context may have been. */
  forgetHosts(hosts: readonly string[] | null): void {
    this.#generation++;
    if (hosts === null) this.#nodes.clear();
    else for (const host of hosts) this.#nodes.delete(host);
  }

  get size(): number {
    return this.#nodes.size;
  }
}

const memories = new WeakMap<object, KeyCheckMemory>();

/** The memory of the database handle `db` (one per handle, so per process or isolate). */
export function keyMemoryOf(db: object): KeyCheckMemory {
  let memory = memories.get(db);
  if (!memory) {
    memory = new KeyCheckMemory();
    memories.set(db, memory);
  }
  return memory;
}
