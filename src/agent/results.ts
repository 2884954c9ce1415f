import type { Logger } from '../core/log.ts';
import { untilReached, type RetryDeps } from './backoff.ts';
import { EdgeRefused, TokenRefused, type EdgeClient } from './edge-client.ts';
import type { Spool, SpooledResult } from './spool.ts';

export interface ResultPosterDeps {
  client: EdgeClient;
  spool: Spool;
  logger: Logger;
  retry: RetryDeps;
  /** Aborted when the agent stops: a result is then tried once, not retried. */
  stopping: AbortSignal;
}

/**
 * Posting spooled results (docs/site-agent.md): a result leaves the spool
 * only when the edge answered 200 (taken) or 409 (another lease holds the
 * call, so this result will never count). An unreachable edge is retried
 * with backoff; a 400 or 404 is set aside for an operator, not retried.
 */
export function resultPoster(deps: ResultPosterDeps) {
  const { client, spool, logger } = deps;
  /** Results a call's own post is sending: a flush between two leases leaves them to it. */
  const posting = new Set<string>();

  const post = async (entry: SpooledResult): Promise<void> => {
    if (posting.has(entry.call_id)) return;
    posting.add(entry.call_id);
    try {
      await deliver(entry);
    } finally {
      posting.delete(entry.call_id);
    }
  };

  const deliver = async (entry: SpooledResult): Promise<void> => {
    const path = `/calls/${encodeURIComponent(entry.call_id)}/result`;
    const fields = { call_id: entry.call_id, state: entry.body.progress.state };
    try {
      const send = () => client.request('POST', path, entry.body);
      const posted = deps.stopping.aborted ? await send() : await untilReached(deps.retry, 'posting a result', send);
      if (posted === null) return logger.info('result kept in the spool for the next start', fields);
      await spool.remove(entry.call_id);
      logger.info('result posted', fields);
    } catch (err) {
      if (err instanceof EdgeRefused && err.status === 409) {
        await spool.remove(entry.call_id);
        return logger.info('result refused: the lease is no longer held (another lease runs the call); dropped', fields);
      }
      if (err instanceof EdgeRefused) {
        await spool.setAside(entry.call_id);
        return logger.error('the edge refused a result; set aside in the spool', { ...fields, status: err.status, error: err.message });
      }
      if (err instanceof TokenRefused) throw err;
      logger.warn('result kept in the spool for the next start', { ...fields, error: err instanceof Error ? err.message : String(err) });
    }
  };

  /** Every spooled result, oldest first: at start and before each lease. */
  const flush = async (): Promise<void> => {
    const { entries, setAside } = await spool.list();
    for (const name of setAside) logger.error('unreadable file in the spool set aside', { file: name });
    for (const entry of entries) {
      if (deps.stopping.aborted) return;
      await post(entry);
    }
  };

  return { post, flush };
}
