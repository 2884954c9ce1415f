import type { Context } from 'hono';
import type { Principal } from '../auth/principal.ts';
import { ApiError } from '../core/errors.ts';
import type { AppEnv } from './env.ts';

/** Drydock's clients send X-Auth-Token; Authorization: Bearer works too. */
function presentedToken(c: Context<AppEnv>): string | null {
  const header = c.req.header('X-Auth-Token');
  if (header) return header.trim() || null;
  const authz = c.req.header('Authorization');
  const m = authz ? /^Bearer\s+(\S+)\s*$/i.exec(authz) : null;
  return m ? m[1]! : null;
}

/** Authenticates once per request, lazily: public routes never reach Keystone. 401 without a valid credential. */
export async function authenticate(c: Context<AppEnv>): Promise<Principal> {
  const known = c.get('principal');
  if (known) return known;
  const { authenticator } = c.get('services');
  const principal = await authenticator.authenticate(presentedToken(c));
  if (!principal) {
    throw new ApiError('Unauthorized', 'Unauthenticated', {
      headers: { 'WWW-Authenticate': authenticator.challenge },
    });
  }
  c.set('principal', principal);
  return principal;
}

/**
 * Checks an oslo-style policy rule, as Drydock's ApiEnforcer: no valid
 * credential is 401, a valid one the rule refuses is 403. Answers who asked.
 */
export async function authorize(c: Context<AppEnv>, rule: string): Promise<Principal> {
  const principal = await authenticate(c);
  if (!c.get('services').policy.authorize(rule, principal)) {
    c.get('log').info('forbidden', { rule, user: principal.user });
    throw new ApiError('Forbidden', 'Forbidden', { details: [{ message: `Policy ${rule} denies this request` }] });
  }
  return principal;
}
