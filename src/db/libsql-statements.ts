/**
 * Reuse of prepared statements under @libsql/client on a local file.
 *
 * @libsql/client 0.18 prepares every statement anew on each execution
 * (`executeStmt` calls the libsql binding's `Database.prepare`), and keeps
 * its connections private. Preparing is most of a small statement's cost:
 * 43 µs against 13.5 µs for the same select on a reused statement (bench VM).
 * So the binding's `prepare` is wrapped, once per process, to answer a
 * statement it prepared before on the same connection, from a small
 * per-connection cache of the most recently used SQL texts.
 *
 * Why reuse is safe here: the binding is synchronous, and @libsql/client
 * runs each statement to its end (`all` or `run`) and sets its modes
 * (`safeIntegers`, `raw`) before each use; a statement that failed, or was
 * left half-read, is reset by its next run (checked against the binding).
 * SQLite re-prepares a statement by itself after a schema change. Drizzle
 * binds values as parameters, so the texts repeat.
 *
 * Only where Node's `createRequire` can find the binding @libsql/client
 * uses; elsewhere (a remote libSQL server, a runtime without it) nothing
 * changes.
 */
import { createRequire } from 'node:module';

interface Statement {
  raw(toggle?: boolean): unknown;
}
interface BindingDatabase {
  prepare(sql: string): Statement;
}
type DatabaseClass = { prototype: BindingDatabase };

/** SQL texts kept per connection: the app's hot statements are a few dozen. */
const MAX_STATEMENTS = 256;
const PATCHED = Symbol.for('drydock-edge.libsql-statement-cache');

function wrap(Database: DatabaseClass): void {
  const proto = Database.prototype as BindingDatabase & { [PATCHED]?: true };
  if (proto[PATCHED]) return;
  const prepare = proto.prepare;
  const caches = new WeakMap<object, Map<string, Statement>>();
  proto.prepare = function cachedPrepare(this: BindingDatabase, sql: string): Statement {
    let cache = caches.get(this);
    if (!cache) {
      cache = new Map();
      caches.set(this, cache);
    }
    const hit = cache.get(sql);
    if (hit) {
      cache.delete(sql);
      cache.set(sql, hit);
      return hit;
    }
    const statement = prepare.call(this, sql);
    cache.set(sql, statement);
    if (cache.size > MAX_STATEMENTS) cache.delete(cache.keys().next().value as string);
    return statement;
  };
  proto[PATCHED] = true;
}

/** Installs the cache on the libsql binding that @libsql/client loads; false when it cannot be found. */
export function reuseLibsqlStatements(): boolean {
  try {
    const fromClient = createRequire(createRequire(import.meta.url).resolve('@libsql/client'));
    const loaded = fromClient('libsql') as DatabaseClass | { default?: DatabaseClass };
    const Database = (typeof loaded === 'function' ? loaded : (loaded as { default?: DatabaseClass }).default) as DatabaseClass | undefined;
    if (!Database?.prototype || typeof Database.prototype.prepare !== 'function') return false;
    wrap(Database);
    return true;
  } catch {
    return false;
  }
}
