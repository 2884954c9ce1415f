import type { Config } from '../core/config.ts';
import type { Logger } from '../core/log.ts';
import { createKeystoneAuthenticator, createKeystoneClient, type KeystoneClient } from './keystone.ts';
import type { Authenticator } from './principal.ts';
import { createOpenAuthenticator, createStaticTokenAuthenticator, parseAuthTokens, type StaticToken } from './static-tokens.ts';

export interface AuthenticatorDeps {
  config: Config;
  fetch: typeof fetch;
  logger: Logger;
  /** Tokens beyond AUTH_TOKENS, e.g. the generated admin token of a local start. */
  extraTokens?: StaticToken[];
  now?: () => number;
}

/**
 * The service's own Keystone session, when Keystone is configured: it
 * validates user tokens (AUTH_MODE=keystone) and authenticates design refs
 * to Deckhand and Promenade (in any auth mode).
 */
export function createServiceKeystone(deps: AuthenticatorDeps): KeystoneClient | null {
  const { config, logger } = deps;
  if (!config.KEYSTONE_AUTH_URL || !config.KEYSTONE_USERNAME || !config.KEYSTONE_PASSWORD) return null;
  return createKeystoneClient({
    authUrl: config.KEYSTONE_AUTH_URL,
    username: config.KEYSTONE_USERNAME,
    password: config.KEYSTONE_PASSWORD,
    userDomainName: config.KEYSTONE_USER_DOMAIN_NAME,
    projectName: config.KEYSTONE_PROJECT_NAME,
    projectDomainName: config.KEYSTONE_PROJECT_DOMAIN_NAME,
    timeoutMs: config.KEYSTONE_TIMEOUT_MS,
    fetch: deps.fetch,
    now: deps.now,
    log: (level, msg, fields) => logger[level](msg, { ...fields, component: 'keystone' }),
  });
}

/** Builds the authenticator AUTH_MODE asks for; throws ConfigError when it cannot. */
export function createAuthenticator(deps: AuthenticatorDeps, keystone: KeystoneClient | null): Authenticator {
  const { config, logger } = deps;
  switch (config.AUTH_MODE) {
    case 'none':
      logger.warn('AUTH_MODE=none: authentication is off and every request is treated as an administrator');
      return createOpenAuthenticator();
    case 'keystone':
      return createKeystoneAuthenticator({
        authUrl: config.KEYSTONE_AUTH_URL!,
        username: config.KEYSTONE_USERNAME!,
        password: config.KEYSTONE_PASSWORD!,
        userDomainName: config.KEYSTONE_USER_DOMAIN_NAME,
        projectName: config.KEYSTONE_PROJECT_NAME,
        projectDomainName: config.KEYSTONE_PROJECT_DOMAIN_NAME,
        cacheTtlSeconds: config.KEYSTONE_CACHE_TTL_SECONDS,
        negativeCacheSeconds: config.KEYSTONE_NEGATIVE_CACHE_SECONDS,
        timeoutMs: config.KEYSTONE_TIMEOUT_MS,
        fetch: deps.fetch,
        now: deps.now,
        client: keystone ?? undefined,
        log: (level, msg, fields) => logger[level](msg, { ...fields, component: 'keystone' }),
      });
    case 'token': {
      const tokens = [...parseAuthTokens(config.AUTH_TOKENS), ...(deps.extraTokens ?? [])];
      if (tokens.length === 0) {
        logger.warn('AUTH_MODE=token with no AUTH_TOKENS: every authenticated request will be refused');
      }
      return createStaticTokenAuthenticator(tokens);
    }
  }
}
