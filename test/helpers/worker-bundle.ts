import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { Log, LogLevel, Miniflare } from 'miniflare';
import { OFFLINE_ENV, ROOT } from './spawn.ts';
import { closedPort } from './origin.ts';

export { OFFLINE_ENV, ROOT };
export const MIGRATIONS_DIR = join(ROOT, 'migrations');
export const COMPATIBILITY_DATE = '2026-04-26';

export interface WorkerBundle {
  dir: string;
  scriptPath: string;
  cleanup(): Promise<void>;
}

/** Swagger UI's files as text, as wrangler.toml's [[rules]] of type Text make them. */
const swaggerUiAsText: Plugin = {
  name: 'swagger-ui-as-text',
  setup(b) {
    b.onLoad({ filter: /swagger-ui-dist[\\/](swagger-ui-bundle\.js|swagger-ui\.css)$/ }, async (args) => ({
      contents: await readFile(args.path, 'utf8'),
      loader: 'text',
    }));
  },
};

/** esbuild options of a Workers build (ESM, workerd conditions), shared by every workerd test. */
export const WORKER_BUILD_OPTIONS = {
  plugins: [swaggerUiAsText],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['browser', 'module', 'main'],
  target: 'es2022',
  logLevel: 'silent',
} as const satisfies BuildOptions;

/** Bundles src/worker.ts the way a Workers build would. */
export async function bundleWorker(): Promise<WorkerBundle> {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-worker-'));
  const scriptPath = join(dir, 'worker.js');
  await build({ ...WORKER_BUILD_OPTIONS, entryPoints: [join(ROOT, 'src/worker.ts')], outfile: scriptPath });
  return { dir, scriptPath, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** The statements of every migrations/*.sql file, in file-name order. */
export async function migrationStatements(): Promise<string[]> {
  const files = (await readdir(MIGRATIONS_DIR)).filter((f) => f.endsWith('.sql')).sort();
  const statements: string[] = [];
  for (const file of files) {
    const text = await readFile(join(MIGRATIONS_DIR, file), 'utf8');
    for (const part of text.split('--> statement-breakpoint')) {
      const sql = part.trim();
      if (sql) statements.push(sql);
    }
  }
  return statements;
}

/** Workerd's console output, kept for assertions and failure diagnostics. */
export class CapturingLog extends Log {
  readonly lines: string[] = [];
  constructor() {
    super(LogLevel.WARN);
  }
  override log(message: string): void {
    this.lines.push(message);
  }
}

export interface WorkerInstance {
  mf: Miniflare;
  /** http://127.0.0.1:<port>, as a client reaches the worker. */
  url: string;
  /** The worker's stdout/stderr lines (console.log / console.error). */
  output: string[];
  fetch(path: string, init?: RequestInit): Promise<Response>;
  dispose(): Promise<void>;
}

export const TASK_QUEUE_NAME = 'drydock-tasks';

export interface StartWorkerOptions {
  /** Apply migrations/*.sql to the D1 database (default true). */
  migrate?: boolean;
  /**
   * Also bind the worker as the consumer of its own task queue, as
   * wrangler.toml does. Off by default: without a consumer, messages are
   * accepted and never delivered. The batch timeout defaults to 0 seconds so a
   * message is delivered as soon as it is due (Miniflare's default waits 1 s).
   */
  consumeQueue?: boolean | { maxBatchTimeout?: number; maxBatchSize?: number; maxRetries?: number };
}

function consumerOptions(consume: true | { maxBatchTimeout?: number; maxBatchSize?: number; maxRetries?: number }) {
  const given = consume === true ? {} : consume;
  return { maxBatchTimeout: 0, maxBatchSize: 10, maxRetries: 10, ...given };
}

const definedOnly = (vars: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined));

/** The design key of the workers a test run starts (Workers require one). */
const WORKER_DESIGN_KEY = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

/**
 * Runs a bundle in workerd with an in-memory D1 (the real migrations applied)
 * and a queue producer, listening on loopback only and with no cf fetch.
 */
export async function startWorker(
  scriptPath: string,
  /** undefined: the binding is left out (e.g. DESIGN_ENCRYPTION_KEY, which is given by default). */
  bindings: Record<string, string | undefined>,
  options: StartWorkerOptions = {},
): Promise<WorkerInstance> {
  Object.assign(process.env, OFFLINE_ENV);
  const output: string[] = [];
  // The worker must know its own URL (PUBLIC_URL: the fake lab's simulated
  // nodes call it), so the port is chosen before start, not by workerd; a
  // port another process took in between is tried again with a new one.
  let mf: Miniflare | undefined;
  let url: URL | undefined;
  for (let attempt = 1; !url; attempt++) {
    const port = await closedPort();
    output.length = 0;
    mf = new Miniflare({
      modules: true,
      scriptPath,
      // Module names are relative to this root; the bundle lives in a temp dir.
      modulesRoot: dirname(scriptPath),
      compatibilityDate: COMPATIBILITY_DATE,
      d1Databases: { DB: 'test-db' },
      queueProducers: { TASK_QUEUE: TASK_QUEUE_NAME },
      ...(options.consumeQueue ? { queueConsumers: { [TASK_QUEUE_NAME]: consumerOptions(options.consumeQueue) } } : {}),
      bindings: definedOnly({ PUBLIC_URL: `http://127.0.0.1:${port}`, DESIGN_ENCRYPTION_KEY: WORKER_DESIGN_KEY, ...bindings }),
      cf: false,
      host: '127.0.0.1',
      port,
      log: new CapturingLog(),
      handleRuntimeStdio(stdout: Readable, stderr: Readable) {
        for (const stream of [stdout, stderr]) {
          stream.setEncoding('utf8');
          stream.on('data', (chunk: string) => output.push(...chunk.split('\n').filter(Boolean)));
        }
      },
    });
    try {
      url = await mf.ready;
    } catch (err) {
      await mf.dispose().catch(() => {});
      const taken = (err as { code?: string }).code === 'ERR_ADDRESS_IN_USE';
      if (!taken || attempt >= 3) throw new Error(`workerd did not start: ${String(err)}\n${output.join('\n')}`, { cause: err });
    }
  }
  const started = mf!;
  if (options.migrate !== false) {
    const db = await started.getD1Database('DB');
    const statements = await migrationStatements();
    await db.batch(statements.map((s) => db.prepare(s)));
  }
  return {
    mf: started,
    url: url.origin,
    output,
    async fetch(path, init) {
      // A plain fetch to the loopback URL: exactly what a client sees.
      return fetch(new URL(path, url), init);
    },
    dispose: () => started.dispose(),
  };
}
