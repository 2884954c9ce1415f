import { agentHealthLines } from './agents/health.ts';
import type { HealthProbe, ServiceContext } from './context.ts';

export interface HealthMessage {
  kind: 'SimpleMessage';
  name: string;
  message: string;
  error: boolean;
  ms: number;
}

export interface HealthReport {
  healthy: boolean;
  messages: HealthMessage[];
}

const withTimeout = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });

async function run(probe: HealthProbe, timeoutMs: number): Promise<HealthMessage> {
  const started = performance.now();
  const ms = () => Math.round((performance.now() - started) * 10) / 10;
  try {
    const detail = await withTimeout(probe.check(), timeoutMs);
    return { kind: 'SimpleMessage', name: probe.name, message: detail || 'ok', error: false, ms: ms() };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { kind: 'SimpleMessage', name: probe.name, message: `${probe.name} failed: ${reason}`, error: true, ms: ms() };
  }
}

/**
 * Runs the checks in parallel, each bounded by a timeout so a hung dependency
 * turns into a 503 rather than a hung health check. Unlike Drydock, a
 * health call leaves no row behind (the database check's write probe
 * deletes what it inserts in the same batch).
 */
export async function checkHealth(probes: HealthProbe[], timeoutMs = 3000): Promise<HealthReport> {
  const messages = await Promise.all(probes.map((p) => run(p, timeoutMs)));
  return { healthy: messages.every((m) => !m.error), messages };
}

type HealthContext = Pick<ServiceContext, 'databaseHealth' | 'healthProbes' | 'config' | 'db' | 'clock'>;

/** /health: the database answers and takes writes. */
export function checkDatabaseHealth(ctx: Pick<HealthContext, 'databaseHealth' | 'config'>): Promise<HealthReport> {
  return checkHealth([ctx.databaseHealth], ctx.config.HEALTH_CHECK_TIMEOUT_MS);
}

/**
 * /health/extended: the database and every enabled driver, then one line
 * per site agent (never an error; none when the agents cannot be read,
 * which the database check already reports).
 */
export async function checkExtendedHealth(ctx: HealthContext): Promise<HealthReport> {
  const timeout = ctx.config.HEALTH_CHECK_TIMEOUT_MS;
  const [report, agents] = await Promise.all([
    checkHealth([ctx.databaseHealth, ...ctx.healthProbes], timeout),
    withTimeout(agentHealthLines(ctx), timeout).catch(() => []),
  ]);
  return { healthy: report.healthy, messages: [...report.messages, ...agents] };
}
