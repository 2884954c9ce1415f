import { ConfigError } from '../core/config.ts';
import { digestsEqual, sha256Hex } from '../core/digest.ts';
import type { Authenticator, Principal } from './principal.ts';

/**
 * AUTH_MODE=token: bearer tokens known by their SHA-256 digest only.
 * AUTH_TOKENS is a comma-separated list of `name:role+role:sha256hex`.
 */
export interface StaticToken {
  name: string;
  roles: string[];
  digest: string;
}

const ENTRY = /^([A-Za-z0-9_.@-]{1,64}):([A-Za-z0-9_.+-]{1,512}):(?:sha256:)?([0-9a-fA-F]{64})$/;

export function parseAuthTokens(text: string): StaticToken[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const m = ENTRY.exec(entry);
      if (!m) {
        throw new ConfigError(
          'AUTH_TOKENS',
          `entry ${i + 1} is not of the form name:role[+role]:<sha256 hex of the token>`,
        );
      }
      return { name: m[1]!, roles: m[2]!.split('+').filter(Boolean), digest: m[3]!.toLowerCase() };
    });
}

export function createStaticTokenAuthenticator(tokens: StaticToken[]): Authenticator {
  return {
    mode: 'token',
    challenge: 'Bearer realm="drydock"',
    async authenticate(token: string | null): Promise<Principal | null> {
      if (!token) return null;
      const digest = await sha256Hex(token);
      // Compare against every entry so the time taken does not depend on which matched.
      let found: StaticToken | null = null;
      for (const entry of tokens) {
        if (digestsEqual(digest, entry.digest) && !found) found = entry;
      }
      if (!found) return null;
      return {
        user: found.name,
        userId: found.name,
        userDomainId: null,
        projectId: null,
        projectDomainId: null,
        roles: [...found.roles],
        isAdminProject: false,
        isAdmin: false,
        method: 'token',
      };
    },
  };
}

/** AUTH_MODE=none: every caller is an administrator. Only when set explicitly. */
export function createOpenAuthenticator(): Authenticator {
  const admin: Principal = {
    user: 'anonymous',
    userId: null,
    userDomainId: null,
    projectId: null,
    projectDomainId: null,
    roles: ['admin'],
    isAdminProject: true,
    isAdmin: true,
    method: 'none',
  };
  return {
    mode: 'none',
    challenge: 'None',
    async authenticate() {
      return { ...admin, roles: [...admin.roles] };
    },
  };
}
