import { describe, expect, it } from 'vitest';
import { needsNewConnection } from '../../src/db/libsql-client.ts';

const libsqlError = (code: string, message: string) => Object.assign(new Error(`${code}: ${message}`), { code });

describe('the resilient libSQL client', () => {
  it.each([
    ['SQLITE_BUSY', 'database is locked'],
    ['SQLITE_READONLY', 'attempt to write a readonly database'],
    ['SQLITE_READONLY_DBMOVED', 'attempt to write a readonly database'],
    ['SQLITE_FULL', 'database or disk is full'],
    ['SQLITE_IOERR_WRITE', 'disk I/O error'],
    ['SQLITE_CANTOPEN', 'unable to open database file'],
  ])('replaces its connection after %s', (code, message) => {
    expect(needsNewConnection(libsqlError(code, message))).toBe(true);
    // Drizzle wraps the driver's error; the code is then on the cause.
    expect(needsNewConnection(Object.assign(new Error('Failed query'), { cause: { code } }))).toBe(true);
  });

  it.each([
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'UNIQUE constraint failed: tasks.task_id'],
    ['SQLITE_ERROR', 'no such table: nowhere'],
  ])('keeps its connection after %s, which says nothing about the connection', (code, message) => {
    expect(needsNewConnection(libsqlError(code, message))).toBe(false);
  });
});
