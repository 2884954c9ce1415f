// `npm run bench`: throughput of the Node server (tsx src/node.ts) over
// loopback for GET /api/v1.0/health (one database round trip) and
// GET /versions (no I/O). Prints figures; asserts nothing about speed.
//
// Latencies are autocannon's, at 1 ms resolution.
// Knobs (environment): BENCH_DURATION seconds per endpoint (10),
// BENCH_CONNECTIONS (10), BENCH_WARMUP seconds per endpoint (2),
// BENCH_LOG_LEVEL the server's LOG_LEVEL (info, the default: one log line
// per request, as in production; `warn` measures the app without it).
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { offlineEnv } from '../scripts/offline-env.mjs';
import { positiveNumber } from './knobs.mjs';
import { processGroup } from './process-group.mjs';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const num = positiveNumber;
const DURATION = num('BENCH_DURATION', 10);
const CONNECTIONS = num('BENCH_CONNECTIONS', 10);
const WARMUP = num('BENCH_WARMUP', 2);
const LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'info';
const ENDPOINTS = ['/api/v1.0/health', '/versions'];

// Hard bound on the whole run, whatever happens.
const budgetMs = (ENDPOINTS.length * (DURATION + WARMUP) + 60) * 1000;

async function startServer(dir) {
  const env = offlineEnv({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `file:${join(dir, 'bench.db')}`,
    AUTH_MODE: 'none',
    LOG_LEVEL,
  });
  delete env.AUTH_TOKENS;
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['src/node.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // own process group: tsx and its node child stop together
  });
  const { exited, stop } = processGroup(child);
  let pending = '';
  const listening = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start within 30 s')), 30_000);
    timer.unref();
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? ''; // keep a partial line; drop the rest (request logs)
      for (const line of lines) {
        const m = /listening on (http:\/\/[^\s"]+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]);
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => process.stderr.write(`[server] ${chunk}`));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening`)));
  });
  try {
    const url = await listening;
    return { url, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function cannon(url, duration) {
  return autocannon({ url, connections: CONNECTIONS, duration });
}

const fmt = (n, digits = 2) => n.toFixed(digits);

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'drydock-bench-'));
  const server = await startServer(dir).catch(async (err) => {
    await rm(dir, { recursive: true, force: true });
    throw err;
  });
  const guard = setTimeout(() => {
    console.error(`bench: over its ${budgetMs / 1000} s budget, stopping`);
    void server.stop().finally(() => process.exit(2));
  }, budgetMs);
  try {
    console.log(
      `node ${process.version}, ${cpus().length} CPU(s), server LOG_LEVEL=${LOG_LEVEL}, ` +
        `${CONNECTIONS} connections, ${DURATION} s per endpoint after ${WARMUP} s warm-up, ${server.url}`,
    );
    const results = {};
    for (const path of ENDPOINTS) {
      await cannon(server.url + path, WARMUP);
      const r = await cannon(server.url + path, DURATION);
      if (r.errors || r.timeouts || r.non2xx) {
        throw new Error(`${path}: ${r.errors} errors, ${r.timeouts} timeouts, ${r.non2xx} non-2xx responses`);
      }
      results[path] = r;
      console.log(
        `${path.padEnd(18)} ${fmt(r.requests.average, 0).padStart(7)} req/s  ` +
          `p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  (${r.requests.total} requests)`,
      );
    }
    const ratio = results['/api/v1.0/health'].requests.average / results['/versions'].requests.average;
    console.log(`health/versions throughput ratio: ${fmt(ratio)}`);
  } finally {
    clearTimeout(guard);
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench failed: ${err.message}`);
  process.exit(1);
});
