/**
 * Where the CLI writes and whether it may decorate: colours and live
 * redrawing only on a TTY, and never with NO_COLOR set.
 */
import pc from 'picocolors';

export type Colours = Pick<typeof pc, 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan'>;

export interface Terminal {
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** stdout is a TTY and NO_COLOR is unset: colours, spinners and redrawn progress. */
  fancy: boolean;
  colours: Colours;
}

const plain: Colours = { bold: String, dim: String, red: String, green: String, yellow: String, cyan: String };

export function colours(enabled: boolean): Colours {
  return enabled ? pc.createColors(true) : plain;
}

export function processTerminal(env: Record<string, string | undefined> = process.env): Terminal {
  // A terminal of 0 rows (some pseudo-terminals) would make log-update draw nothing.
  const fancy = Boolean(process.stdout.isTTY) && process.stdout.rows !== 0 && !env.NO_COLOR && env.TERM !== 'dumb';
  return { out: process.stdout, err: process.stderr, fancy, colours: colours(fancy) };
}
