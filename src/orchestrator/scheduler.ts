/**
 * How the orchestrator asks to be called again for a task. Workers: a
 * Cloudflare Queue message (delaySeconds). Node/Deno: an in-process timer.
 * Either way the cron/interval sweep is the safety net: a lost message only
 * delays a task until the next sweep finds it due (next_run_at) or its lease
 * expired.
 */
export interface Scheduler {
  schedule(taskId: string, delayMs: number): Promise<void>;
}
