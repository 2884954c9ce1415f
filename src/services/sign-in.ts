import { issueUserToken, type UserCredentials } from '../auth/keystone-login.ts';
import { ApiError } from '../core/errors.ts';
import type { ServiceContext } from './context.ts';

export type { UserCredentials };

/**
 * Exchanges a user's Keystone credentials for their token (the web view's
 * sign-in; the token is then validated like any X-Auth-Token). 404 unless
 * the server validates Keystone tokens; null when Keystone refuses them.
 */
export async function keystoneUserToken(ctx: Pick<ServiceContext, 'config' | 'fetch'>, creds: UserCredentials): Promise<string | null> {
  const { config } = ctx;
  if (config.AUTH_MODE !== 'keystone' || !config.KEYSTONE_AUTH_URL) throw new ApiError('NotFound', 'Keystone sign-in is not enabled');
  return issueUserToken({ authUrl: config.KEYSTONE_AUTH_URL, timeoutMs: config.KEYSTONE_TIMEOUT_MS, fetch: ctx.fetch }, creds);
}
