import { parentPort } from 'node:worker_threads';
import type { DesignLimits } from '../../design/parse/limits.ts';
import { readDesignNow, type ReadRequest } from '../../design/reader.ts';

/** What the pool sends: one design to read under `limits`. */
export interface WorkerJob {
  id: number;
  request: ReadRequest;
  limits: DesignLimits;
}

export type WorkerAnswer =
  | { id: number; started: true }
  | { id: number; reading: ReturnType<typeof readDesignNow> }
  | { id: number; failure: string };

// The worker thread's side: read each design it is sent, one at a time.
parentPort?.on('message', (job: WorkerJob) => {
  // The deadline counts from here: not the worker's own start-up (under tsx, its compiler).
  parentPort!.postMessage({ id: job.id, started: true } satisfies WorkerAnswer);
  let answer: WorkerAnswer;
  try {
    answer = { id: job.id, reading: readDesignNow(job.request, job.limits) };
  } catch (err) {
    // An unexpected failure of the reader (a bug), never the design's text.
    answer = { id: job.id, failure: err instanceof Error ? `${err.name}: ${err.message}` : 'unknown failure' };
  }
  parentPort!.postMessage(answer);
});
