/**
 * Group commit for boot action signals on libSQL: the write batches of
 * reports made at the same time (those queued within one turn of the event
 * loop) run as one batch, so a burst of signals pays one BEGIN/COMMIT and one
 * write-ahead log append instead of one each (half the statements of a
 * one-detail signal were BEGIN and COMMIT).
 *
 * Each caller still gets its own results or its own error. The combined
 * batch is one transaction: if it fails, none of it is kept, and each group
 * is then run again on its own, so one report's failure is that report's
 * only. A group's first statement must not read changes(): it follows the
 * group before it in the same transaction.
 *
 * Not used on D1: a Worker serves concurrent requests in one isolate, and a
 * batch made in one request's context on behalf of another's is not
 * something to rely on there; D1 also makes every batch its own round trip
 * anyway.
 */
import type { Db } from '../../db/types.ts';
import { runBatch, type BatchStatement } from '../../db/batch.ts';

interface Pending {
  statements: BatchStatement[];
  resolve(results: unknown[]): void;
  reject(err: unknown): void;
}

/** At most this many reports in one transaction, so that one burst does not hold the writer long. */
const MAX_GROUPS = 64;

const nextTurn: (run: () => void) => void =
  typeof setImmediate === 'function' ? (run) => setImmediate(run) : (run) => setTimeout(run, 0);

export class GroupCommit {
  readonly #db: Db;
  #queue: Pending[] = [];
  #scheduled = false;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Runs `statements` atomically, possibly in one transaction with other callers' statements; answers their own results. */
  run(statements: BatchStatement[]): Promise<unknown[]> {
    if (statements.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.#queue.push({ statements, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        nextTurn(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    while (this.#queue.length > 0) void this.#commit(this.#queue.splice(0, MAX_GROUPS));
  }

  async #commit(groups: Pending[]): Promise<void> {
    if (groups.length === 1) return this.#alone(groups[0]!);
    let results: unknown[];
    try {
      results = await runBatch(this.#db, groups.flatMap((g) => g.statements));
    } catch {
      // Rolled back whole: each group again on its own, to give each its own outcome.
      for (const group of groups) await this.#alone(group);
      return;
    }
    let at = 0;
    for (const group of groups) {
      group.resolve(results.slice(at, at + group.statements.length));
      at += group.statements.length;
    }
  }

  async #alone(group: Pending): Promise<void> {
    try {
      group.resolve(await runBatch(this.#db, group.statements));
    } catch (err) {
      group.reject(err);
    }
  }
}
