import { ConfigError } from '../core/config.ts';
import { PolicyError } from '../auth/policy/parser.ts';

/** A start-up failure as one readable line, without a stack for known causes. */
export function describeStartupError(err: unknown): string {
  if (err instanceof ConfigError || err instanceof PolicyError) return err.message;
  if (err instanceof Error) return `start-up failed: ${err.message}`;
  return `start-up failed: ${String(err)}`;
}

/** Node's error code, or the class name Deno gives the same failure (Deno.errors.*). */
function listenFailure(err: unknown): string | null {
  if (typeof err !== 'object' || err === null) return null;
  const { code, name } = err as { code?: unknown; name?: unknown };
  if (typeof code === 'string') return code;
  return typeof name === 'string' ? name : null;
}

/**
 * Why the listener could not open, as one line naming the setting to change;
 * null for a failure that is not about the address (described generically).
 */
export function describeListenError(err: unknown, host: string, port: number): string | null {
  switch (listenFailure(err)) {
    case 'EADDRINUSE':
    case 'AddrInUse':
      return `Port ${port} on ${host} is already in use: stop what listens there or set PORT to another port (PORT=0 picks a free one)`;
    case 'EACCES':
    case 'PermissionDenied':
      return `Port ${port} on ${host} needs privileges this process does not have: set PORT to 1024 or above`;
    case 'EADDRNOTAVAIL':
    case 'AddrNotAvailable':
      return `Address ${host} is not an address of this machine: set HOST to one of its addresses (127.0.0.1, 0.0.0.0)`;
    default:
      return null;
  }
}
