import { fileURLToPath } from 'node:url';
import { TEST_DESIGN_KEY } from './design-box.ts';
import { createApp } from '../../src/app.ts';
import { loadConfig } from '../../src/core/config.ts';
import { openLibsqlDatabase } from '../../src/db/libsql.ts';
import type { Database } from '../../src/db/types.ts';
import { createLogger, type LogLevel } from '../../src/core/log.ts';
import { createServices, type ServiceDeps } from '../../src/compose.ts';
import { readReferenceAssets } from '../../src/runtime/reference-assets.ts';

export const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/** A fresh in-memory libSQL database with the real migrations applied. */
export function memoryDatabase(): Promise<Database> {
  return openLibsqlDatabase({ url: ':memory:', busyTimeoutMs: 1000, migrationsFolder: MIGRATIONS });
}

export interface TestAppOptions {
  env?: Record<string, string>;
  database?: Database;
  fetch?: typeof fetch;
  clock?: () => Date;
  policyFileText?: string;
  extraTokens?: ServiceDeps['extraTokens'];
  /** 'from-config': DESIGN_ENCRYPTION_KEY of env, as Workers do; default: this file's test key. */
  designKey?: 'from-config';
  /** Default: polling only, as on Workers. */
  callWakeups?: ServiceDeps['callWakeups'];
}

export interface CapturedLog {
  level: LogLevel;
  line: string;
  record: Record<string, unknown>;
}

/** The app over a real database, with its log lines captured for assertions. */
export async function buildTestApp(options: TestAppOptions = {}) {
  const logs: CapturedLog[] = [];
  const logger = createLogger({
    level: 'debug',
    sink: (line, level) => logs.push({ level, line, record: JSON.parse(line) }),
  });
  const config = loadConfig({ AUTH_MODE: 'none', ...options.env });
  const database = options.database ?? (await memoryDatabase());
  const services = createServices({
    config,
    database,
    logger,
    fetch: options.fetch,
    clock: options.clock,
    policyFileText: options.policyFileText,
    extraTokens: options.extraTokens,
    designKey: options.designKey === 'from-config' ? undefined : TEST_DESIGN_KEY,
    callWakeups: options.callWakeups,
    referenceAssets: readReferenceAssets,
  });
  return { app: createApp(services), services, database, logs };
}

/** sha256 hex of a token, for AUTH_TOKENS entries in tests. */
export async function digestOf(token: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A response's JSON body, loosely typed for assertions. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const jsonOf = (res: Response): Promise<any> => res.json();
