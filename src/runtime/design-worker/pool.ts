import { Worker } from 'node:worker_threads';
import { LIMIT_SETTINGS, limitMessage, type DesignLimits } from '../../design/parse/limits.ts';
import { ApiError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { refusedReading, type DesignReader, type DesignReading, type ReadRequest } from '../../design/reader.ts';
import type { WorkerAnswer, WorkerJob } from './entry.ts';

export interface DesignWorkerOptions {
  limits: DesignLimits;
  /** The old-generation heap of each worker (Node enforces it; Deno accepts and ignores it). */
  memoryMb: number;
  /** Workers reading at once; more requests wait their turn, up to the deadline. */
  workers: number;
  logger: Logger;
}

export interface DesignWorkerPool extends DesignReader {
  close(): Promise<void>;
}

interface Job {
  request: ReadRequest;
  resolve(reading: DesignReading): void;
  reject(err: Error): void;
  /** Set while the job waits for a worker. */
  queueTimer?: ReturnType<typeof setTimeout>;
}

/** How long a new worker may take to load its modules before its first read starts. */
const STARTUP_ALLOWANCE_MS = 30_000;

const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
const ENTRY = new URL(`./entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

function startWorker(memoryMb: number): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.min(64, Math.ceil(memoryMb / 8)), stackSizeMb: 4 };
  const worker =
    ENTRY.pathname.endsWith('.ts') && !isDeno
      ? new Worker(new URL('./boot.mjs', import.meta.url), { workerData: { entry: ENTRY.href }, resourceLimits })
      : new Worker(ENTRY, { resourceLimits });
  // An idle reader must not keep the process alive.
  worker.unref();
  return worker;
}

/**
 * Reads designs in worker threads, so no design can crash or stall the
 * process: each worker has a heap limit, and a read that passes the
 * deadline terminates its worker. Either becomes a 400 for that request
 * (the design is refused for DESIGN_PARSE_TIMEOUT_MS or
 * DESIGN_WORKER_MEMORY_MB); a worker that dies otherwise is a 503. A fresh
 * worker serves the next request. Workers start on the first read, not
 * with the process: under tsx a worker compiles its modules for a second or
 * two, and doing that at start-up competes with the process's own start
 * (tsx's signal relay then gives up on a busy child and kills it).
 */
export function createDesignWorkerPool(options: DesignWorkerOptions): DesignWorkerPool {
  const { limits, memoryMb, logger } = options;
  const live = new Set<Worker>();
  const spawn = () => {
    const worker = startWorker(memoryMb);
    live.add(worker);
    // A worker that fails while idle (e.g. it cannot load) must not become an
    // unhandled 'error' event, which would end the process; it is dropped.
    worker.on('error', (err) => logger.debug('a design reader worker failed', { error: err.message }));
    worker.once('exit', () => {
      live.delete(worker);
      const at = idle.indexOf(worker);
      if (at !== -1) idle.splice(at, 1);
    });
    return worker;
  };
  const idle: Worker[] = [];
  const queue: Job[] = [];
  let running = 0;
  let nextId = 1;
  let closed = false;

  const pump = () => {
    while (queue.length > 0 && (idle.length > 0 || running < options.workers)) {
      const job = queue.shift()!;
      clearTimeout(job.queueTimer);
      running += 1;
      run(idle.pop() ?? spawn(), job);
    }
  };

  const run = (worker: Worker, job: Job) => {
    const id = nextId++;
    let settled = false;
    const finish = (reuse: boolean) => {
      settled = true;
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      worker.off('messageerror', onError);
      running -= 1;
      if (reuse && !closed) idle.push(worker);
      else {
        live.delete(worker);
        void worker.terminate();
      }
      pump();
    };
    const onMessage = (answer: WorkerAnswer) => {
      if (answer.id !== id) return;
      if ('started' in answer) {
        clearTimeout(timer);
        timer = setTimeout(overdue, limits.timeoutMs);
        return;
      }
      finish(true);
      if ('reading' in answer) job.resolve(answer.reading);
      else job.reject(new Error(`design reader failed: ${answer.failure}`));
    };
    const onError = (err: Error & { code?: string }) => {
      if (settled) return;
      finish(false);
      if (err.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        logger.warn('a design exceeded the design reader memory limit', { memoryMb });
        job.resolve(refused('memory', `reading it needs more than ${memoryMb} MB of memory`));
        return;
      }
      logger.error('the design reader failed', { error: err.message });
      job.reject(new ApiError('ServiceUnavailable', 'The design reader failed; try again'));
    };
    const onExit = (code: number) => onError(Object.assign(new Error(`design reader exited with code ${code}`), { code: 'EXIT' }));
    const overdue = () => {
      if (settled) return;
      logger.warn('a design read passed its deadline; its worker is stopped', { timeoutMs: limits.timeoutMs });
      finish(false);
      job.resolve(refused('time', `reading it took longer than ${limits.timeoutMs} ms`));
    };
    // Until the worker has taken the job, it may still be starting: a longer wait, then the same refusal.
    let timer = setTimeout(overdue, limits.timeoutMs + STARTUP_ALLOWANCE_MS);
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
    worker.on('messageerror', onError);
    const message: WorkerJob = { id, request: job.request, limits };
    worker.postMessage(message);
  };

  return {
    read(request) {
      if (closed) return Promise.reject(new ApiError('ServiceUnavailable', 'The service is stopping'));
      return new Promise<DesignReading>((resolve, reject) => {
        const job: Job = { request, resolve, reject };
        job.queueTimer = setTimeout(() => {
          const at = queue.indexOf(job);
          if (at === -1) return;
          queue.splice(at, 1);
          reject(new ApiError('ServiceUnavailable', 'Every design reader is busy; try again'));
        }, limits.timeoutMs);
        queue.push(job);
        pump();
      });
    },
    async close() {
      closed = true;
      for (const job of queue.splice(0)) {
        clearTimeout(job.queueTimer);
        job.reject(new ApiError('ServiceUnavailable', 'The service is stopping'));
      }
      idle.length = 0;
      // Not awaited: a worker still loading its modules can take a while to
      // stop, and shutting down must not wait for it (the process exit ends it).
      for (const worker of live) void worker.terminate();
      live.clear();
    },
  };
}

function refused(limit: 'time' | 'memory', what: string): DesignReading {
  return refusedReading({ limit, setting: LIMIT_SETTINGS[limit], message: limitMessage(limit, what) });
}
