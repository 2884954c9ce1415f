/**
 * `task create --block`: follows the task's events to its end and shows
 * the progress (redrawn on a TTY, change lines otherwise), then the summary.
 * Answers the exit code: 0 for success, 1 for failure or partial success.
 */
import { createLogUpdate } from 'log-update';
import { taskEvents, type StreamOptions } from './events.ts';
import type { ApiClient } from './http-client.ts';
import { applyEvent, exitCodeOf, newProgress } from './progress-model.ts';
import { changeLines, progressLines, summaryLines } from './progress-view.ts';
import type { Terminal } from './terminal.ts';

export interface WatchOptions extends StreamOptions {
  /** The nodes the task targets, when known (shown from the start). */
  nodes?: string[];
}

export async function watchTask(client: ApiClient, taskId: string, term: Terminal, options: WatchOptions = {}): Promise<number> {
  const progress = newProgress(taskId, options.nodes);
  const seen = new Map<string, string>();
  const write = (lines: string[]) => lines.length && term.out.write(`${lines.join('\n')}\n`);
  let frame = 0;
  const draw = createLogUpdate(term.out as NodeJS.WriteStream, { showCursor: false });
  const redraw = () => draw(progressLines(progress, Date.now(), term.colours, frame++).join('\n'));
  const ticker = term.fancy ? setInterval(redraw, 120) : null;
  try {
    for await (const event of taskEvents(client, taskId, options)) {
      applyEvent(progress, event, Date.now());
      if (term.fancy) redraw();
      else write(changeLines(progress, seen, Date.now()));
    }
  } finally {
    if (ticker) clearInterval(ticker);
    if (term.fancy) {
      redraw();
      draw.done();
    }
  }
  write(summaryLines(progress, term.colours));
  return exitCodeOf(progress);
}
