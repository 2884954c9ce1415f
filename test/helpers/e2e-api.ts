import { createClient } from '@libsql/client';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startServer, type Server } from './spawn.ts';

/** A task as the end-to-end tests read it. */
export interface TaskBody {
  task_id: string;
  status: string;
  result: { status: string; successes: string[]; failures: string[]; details?: { messageList?: Array<{ message: string }> } };
  subtask_id_list?: string[];
}

/** A running service: a server process, or a worker in workerd. */
export interface ServiceUnderTest {
  url: string;
  /** What it logged so far (shown when a wait runs out). */
  output(): string;
}

/**
 * The public API of a started server, as an operator's client uses it: a
 * token in X-Auth-Token, and tasks waited for by polling until complete.
 */
export function e2eApi(server: () => ServiceUnderTest, token: () => string, waitMs = 60_000) {
  const api = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${server().url}/api/v1.0${path}`, { ...init, headers: { 'X-Auth-Token': token(), ...init.headers } });
  const untilComplete = async (id: string): Promise<TaskBody> => {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const task = (await (await api(`/tasks/${id}`)).json()) as TaskBody;
      if (task.status === 'complete') return task;
      if (Date.now() > deadline) throw new Error(`task ${id} still ${task.status}:\n${server().output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  /** Creates a task on a design_ref and waits for it. */
  const runTask = async (action: string, designRef: string): Promise<TaskBody> => {
    const res = await api('/tasks', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ action, design_ref: designRef }),
    });
    if (res.status !== 201) throw new Error(`POST /tasks answered ${res.status}: ${await res.text()}`);
    return untilComplete(((await res.json()) as TaskBody).task_id);
  };
  const postJson = (path: string, body: unknown): Promise<Response> =>
    api(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  /** An admin creates a site agent; answers its token (shown only in this answer). */
  const newAgentToken = async (name: string, site: string): Promise<string> => {
    const res = await postJson('/agents', { name, site });
    if (res.status !== 201) throw new Error(`POST /agents answered ${res.status}: ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };
  return { api, postJson, untilComplete, runTask, newAgentToken };
}

/** The tables of a libSQL database file any of whose rows holds one of the secrets. */
export async function tablesHolding(databaseFile: string, secrets: string[]): Promise<string[]> {
  const db = createClient({ url: `file:${databaseFile}` });
  try {
    const tables = await db.execute("select name from sqlite_master where type = 'table'");
    const holding: string[] = [];
    for (const { name } of tables.rows) {
      const text = JSON.stringify((await db.execute(`select * from "${String(name)}"`)).rows);
      if (secrets.some((s) => text.includes(s))) holding.push(String(name));
    }
    return holding;
  } finally {
    db.close();
  }
}

/**
 * A server process (`entry`: NODE_ENTRY or DENO_ENTRY) on 127.0.0.1, any
 * port, with token auth: its database, admin token and design key live in
 * `dir` (never in the checkout's .data), and file:// design refs are read
 * below `designRoot`. Answers the admin token it generated.
 */
export async function startTokenServer(
  entry: string[],
  dir: string,
  vars: Record<string, string | undefined>,
  designRoot = join(dir, 'designs'),
): Promise<{ server: Server; token: string; dbFile: string }> {
  const dbFile = join(dir, 'd.db');
  await mkdir(designRoot, { recursive: true });
  const server = await startServer(entry, {
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${dbFile}`,
    AUTH_MODE: 'token',
    ADMIN_TOKEN_FILE: join(dir, 'admin-token'),
    DESIGN_KEY_FILE: join(dir, 'design-key'),
    DESIGN_FILE_ROOT: designRoot,
    ...vars,
  });
  return { server, token: (await readFile(join(dir, 'admin-token'), 'utf8')).trim(), dbFile };
}
