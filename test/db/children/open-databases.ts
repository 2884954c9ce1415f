// Child process of migrations-concurrency.test.ts: opens each database file
// of argv at a shared start time per round, as instances started together do.
import { openLibsqlDatabase } from '../../../src/db/libsql.ts';
import { MIGRATIONS } from '../../helpers/app.ts';

const [startAt, roundMs, ...files] = process.argv.slice(2);
const failures: string[] = [];
for (const [round, file] of files.entries()) {
  const wait = Number(startAt) + round * Number(roundMs) - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  try {
    const database = await openLibsqlDatabase({ url: `file:${file}`, busyTimeoutMs: 5000, migrationsFolder: MIGRATIONS });
    await database.close();
  } catch (err) {
    failures.push(`${file}: ${(err as Error).message}`);
  }
}
process.stdout.write(JSON.stringify({ failures }) + '\n');
