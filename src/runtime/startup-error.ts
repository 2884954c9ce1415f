import { ConfigError } from '../config.ts';
import { PolicyError } from '../auth/policy/parser.ts';

/** A start-up failure as one readable line, without a stack for known causes. */
export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError || err instanceof PolicyError) return err.message;
  if (err instanceof Error) return `start-up failed: ${err.message}`;
  return `start-up failed: ${String(err)}`;
}
