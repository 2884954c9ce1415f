/**
 * A short memory of passed node key checks, so that a node fetching its boot
 * data again within a second or two needs no database read at all (two
 * reads were most of a cached tarball's cost: bench/README.md).
 *
 * It holds three facts, each for BOOTACTION_KEY_CHECK_MEMORY_MS at most:
 *
 * - host -> the digest of the node key that last opened its context, and
 *   that context (with its expiry, checked on every use);
 * - action id -> the digest of the key (its own or its node's) that last
 *   opened it, its record and its context's expiry; the status in that
 *   record is as it was read, so a signal's write still decides by the
 *   stored status (signal.ts);
 * - client address -> "was under its failure limit when last read".
 *
 * A hit needs the first or second and the third (or no third for a client
 * whose address is unknown, which has no bucket). Everything else goes to
 * the database as before: a wrong key, an unknown name, a client not
 * remembered.
 *
 * What this process changes it sees at once: a failure counted here forgets
 * the client (its next request reads its window, so the 429 before the
 * compare holds), and writing or deleting contexts forgets those hosts and
 * every remembered action (a redeploy revokes its node's action keys). A
 * generation counter closes the race where a check that read the old
 * context (or its client's window before a failure) finishes after the
 * change and would remember what it read. What other
 * processes or isolates change (failures counted there, contexts replaced
 * by a Workers Queue consumer) is seen when the entry runs out.
 *
 * The memory is kept per database handle because its writers (the deploy
 * step, task retention) reach the database but not the request's services.
 */
import { digestsEqual } from '../core/digest.ts';
import type { ActionRecord, NodeRecord } from './key-records.ts';

interface Entry<T> {
  digest: string;
  record: T;
  /** The context's own expiry (epoch ms); null: none. */
  contextExpires: number | null;
  until: number;
}

/** What a remembered check opened: a node's context, or an action (with the key kind that opened it). */
export interface MemoryRecords {
  node: NodeRecord;
  action: ActionRecord;
}
export type MemoryKind = keyof MemoryRecords;
export type MemoryRecord<K extends MemoryKind> = MemoryRecords[K];

export interface Remembered<T> {
  name: string;
  digest: string;
  record: T;
  contextExpires: number | null;
  /** The client's bucket, or null when its address is unknown. */
  client: string | null;
}

/** Bounds each map: a fleet's worth of hosts, far below a Worker's memory. */
const MAX_ENTRIES = 20_000;

function bounded<V>(map: Map<string, V>, key: string, value: V): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > MAX_ENTRIES) map.delete(map.keys().next().value as string);
}

function current<T>(map: Map<string, Entry<T>>, name: string, digest: string, now: number): T | undefined {
  const entry = map.get(name);
  if (!entry) return undefined;
  if (entry.until <= now || (entry.contextExpires !== null && entry.contextExpires <= now)) {
    map.delete(name);
    return undefined;
  }
  return digestsEqual(digest, entry.digest) ? entry.record : undefined;
}

export class KeyCheckMemory {
  readonly #entries: { [K in MemoryKind]: Map<string, Entry<MemoryRecords[K]>> } = { node: new Map(), action: new Map() };
  readonly #clientsUnder = new Map<string, number>();
  #generation = 0;

  /** Taken before a database check; a remember with an older generation is dropped. */
  get generation(): number {
    return this.#generation;
  }

  /** What the host's or action's check opened, when `digest` is the key digest that passed it and its context is still current at `now`. */
  recall<K extends MemoryKind>(kind: K, name: string, digest: string, now: number): MemoryRecords[K] | undefined {
    return current(this.#entries[kind] as Map<string, Entry<MemoryRecords[K]>>, name, digest, now);
  }

  /** Whether `bucket` was read under its limit less than the memory's time ago. */
  clientUnder(bucket: string, now: number): boolean {
    const until = this.#clientsUnder.get(bucket);
    if (until === undefined) return false;
    if (until > now) return true;
    this.#clientsUnder.delete(bucket);
    return false;
  }

  remember<K extends MemoryKind>(kind: K, generation: number, entry: Remembered<MemoryRecords[K]>, now: number, ttlMs: number): void {
    if (ttlMs <= 0 || generation !== this.#generation) return;
    const until = now + ttlMs;
    const map = this.#entries[kind] as Map<string, Entry<MemoryRecords[K]>>;
    bounded(map, entry.name, { digest: entry.digest, record: entry.record, contextExpires: entry.contextExpires, until });
    if (entry.client !== null) bounded(this.#clientsUnder, entry.client, until);
  }

  /**
   * A failure was counted for these buckets: their next request reads the
   * window. Checks in flight, which may have read the window before this
   * failure, remember nothing.
   */
  forgetClients(buckets: readonly string[]): void {
    this.#generation++;
    for (const bucket of buckets) this.#clientsUnder.delete(bucket);
  }

  /** These hosts' contexts were written or deleted (null: any context may have been); their actions' keys may be revoked. */
  forgetHosts(hosts: readonly string[] | null): void {
    this.#generation++;
    this.#entries.action.clear();
    if (hosts === null) this.#entries.node.clear();
    else for (const host of hosts) this.#entries.node.delete(host);
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
