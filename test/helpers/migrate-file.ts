import { fileURLToPath } from 'node:url';
import { openLibsqlDatabase } from '../../src/db/libsql.ts';

/*
 * Creates and migrates a database file in its own process. libsql's close()
 * releases the file only when the connection object is garbage collected,
 * and SQLite hands a later open of the same file that lingering read-write
 * descriptor: a test that makes the file read-only after creating it in the
 * same process could get a writable connection, depending on when GC ran.
 */
const path = process.argv[2];
if (!path) throw new Error('usage: migrate-file.ts <path>');
const database = await openLibsqlDatabase({ url: `file:${path}`, busyTimeoutMs: 1000, migrationsFolder: fileURLToPath(new URL('../../migrations', import.meta.url)) });
await database.close();
